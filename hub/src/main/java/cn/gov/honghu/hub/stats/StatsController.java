package cn.gov.honghu.hub.stats;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.stats.AdminStats.Stats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /admin/v1/stats}: per-agency figures for inspections. */
@RestController
@Tag(name = "admin")
class StatsController {

  private final AgencyRegistry agencies;
  private final AdminStats stats;

  StatsController(AgencyRegistry agencies, AdminStats stats) {
    this.agencies = agencies;
    this.stats = stats;
  }

  @GetMapping("/admin/v1/stats")
  @Operation(
      summary = "Per-agency statistics (admin)",
      description =
          "Per agency: accepted (and per type), rejected, delivered, failed, transfers and how"
              + " many the police filed (filingRate), filing decisions, deadlines gone overdue,"
              + " rectification notices and the share answered (rectificationRate).")
  @ApiResponse(responseCode = "200", description = "{agencies: [...]}")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  Stats stats() {
    return stats.compute(agencies.all().stream().map(Agency::code).toList());
  }
}
