package cn.gov.honghu.hub.alerts;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.alerts.Incidents.Incident;
import cn.gov.honghu.hub.web.Page;
import cn.gov.honghu.hub.web.ProblemException;
import cn.gov.honghu.hub.web.QueryParams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/incidents} for the agencies (incidents in their water areas, or that they
 * raised or received) and {@code GET /admin/v1/incidents} for admins.
 */
@RestController
@Tag(name = "alerts")
class IncidentController {

  private final Incidents incidents;

  IncidentController(Incidents incidents) {
    this.incidents = incidents;
  }

  @GetMapping("/api/v1/incidents")
  @Operation(
      summary = "Fishing-ban incidents the caller follows",
      description =
          "Incidents in the caller's water areas or that it raised or received, newest first:"
              + " reports, recipients, acknowledgements, escalation and position; `state` OPEN or"
              + " CLOSED; paged as {items, total, page, size}.")
  @ApiResponse(responseCode = "200", description = "One page of incidents")
  @ApiResponse(responseCode = "400", description = "Unknown state, or page/size out of range")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An admin key")
  Page<Incident> forAgency(
      @Parameter(hidden = true) @AuthenticationPrincipal Agency agency,
      @RequestParam(required = false) String waterArea,
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "1-500") @RequestParam(defaultValue = "50") int size) {
    Page.check(page, size);
    String wanted = state(state);
    String area = QueryParams.optional(waterArea);
    return new Page<>(
        incidents.list(agency.code(), agency.waterAreas(), area, wanted, page, size),
        incidents.count(agency.code(), agency.waterAreas(), area, wanted),
        page,
        size);
  }

  @GetMapping("/admin/v1/incidents")
  @Operation(
      summary = "Every incident (admin)",
      description = "As /api/v1/incidents, for all water areas.")
  @ApiResponse(responseCode = "200", description = "One page of incidents")
  @ApiResponse(responseCode = "400", description = "Unknown state, or page/size out of range")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  Page<Incident> all(
      @RequestParam(required = false) String waterArea,
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "1-500") @RequestParam(defaultValue = "50") int size) {
    Page.check(page, size);
    String wanted = state(state);
    String area = QueryParams.optional(waterArea);
    return new Page<>(
        incidents.list(null, List.of(), area, wanted, page, size),
        incidents.count(null, List.of(), area, wanted),
        page,
        size);
  }

  private static String state(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    String upper = state.strip().toUpperCase(Locale.ROOT);
    if (!upper.equals(Incidents.OPEN) && !upper.equals(Incidents.CLOSED)) {
      throw ProblemException.badRequest("state must be OPEN or CLOSED");
    }
    return upper;
  }
}
