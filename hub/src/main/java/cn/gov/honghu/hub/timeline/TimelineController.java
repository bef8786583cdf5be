package cn.gov.honghu.hub.timeline;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.message.CaseNumbers;
import cn.gov.honghu.hub.timeline.CaseTimeline.Timeline;
import cn.gov.honghu.hub.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/cases/{caseNumber}/timeline}: for the parties of the case only. */
@RestController
@Tag(name = "cases")
class TimelineController {

  private final CaseIndex cases;
  private final CaseTimeline timeline;

  TimelineController(CaseIndex cases, CaseTimeline timeline) {
    this.cases = cases;
    this.timeline = timeline;
  }

  @GetMapping("/api/v1/cases/{caseNumber}/timeline")
  @Operation(
      summary = "A case's timeline",
      description =
          "{caseNumber, openedBy, entries, deadlines}: every message and hub event of the case in"
              + " acceptance order with its rule ids, clauses and flags, and the case's deadlines"
              + " (OPEN, CLOSED_ON_TIME, CLOSED_LATE with lateBy, OVERDUE, LAPSED).")
  @ApiResponse(responseCode = "200", description = "The timeline")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An admin key")
  @ApiResponse(
      responseCode = "404",
      description = "No such case, or the caller is not a party to it (the same answer)")
  Timeline timeline(
      @Parameter(hidden = true) @AuthenticationPrincipal Agency agency,
      @PathVariable String caseNumber) {
    // A non-party gets the same 404 as for a case that does not exist: no case is confirmed.
    String caseKey = CaseNumbers.isWellFormed(caseNumber) ? CaseNumbers.key(caseNumber) : null;
    if (caseKey == null || !cases.isParty(caseKey, agency.code())) {
      throw ProblemException.notFound("no case with this number among the caller's cases");
    }
    return timeline.of(caseKey).orElseThrow(() -> ProblemException.notFound("no such case"));
  }
}
