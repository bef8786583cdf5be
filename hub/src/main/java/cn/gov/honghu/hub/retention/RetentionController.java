package cn.gov.honghu.hub.retention;

import cn.gov.honghu.hub.agency.Caller.AdminCaller;
import cn.gov.honghu.hub.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runs retention now, for an operator who freed no disk space by waiting for the night. The run is
 * the scheduled one's (same lease, batches and record), started by the admin, whose name the
 * RETENTION_RUN event carries.
 */
@RestController
@Tag(name = "admin")
class RetentionController {

  private final RetentionJob job;

  RetentionController(RetentionJob job) {
    this.job = job;
  }

  @PostMapping("/admin/v1/retention/run")
  @Operation(
      summary = "Run retention now (admin)",
      description =
          "Purges finished deliveries and their attempts and events older than"
              + " hub.retention.finished-deliveries and removes personal data of cases whose last"
              + " message is older than hub.retention.personal-data, as the nightly run does;"
              + " answers when it is done, with what it removed.")
  @ApiResponse(
      responseCode = "200",
      description = "{deliveries, attempts, events, personalData}: what the run removed")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  @ApiResponse(responseCode = "409", description = "A run is in progress (on this or another hub)")
  Map<String, Object> run(@Parameter(hidden = true) @AuthenticationPrincipal AdminCaller caller) {
    RetentionJob.Counts counts =
        job.runNow(caller.name())
            .orElseThrow(
                () ->
                    new ProblemException(
                        409,
                        "retention-running",
                        "Retention is running",
                        "a retention run is in progress; it purges the same rows"));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("deliveries", counts.deliveries());
    answer.put("attempts", counts.attempts());
    answer.put("events", counts.events());
    answer.put("personalData", counts.personalData());
    return answer;
  }
}
