package cn.gov.honghu.hub.admin;

import cn.gov.honghu.hub.admin.Approvals.Approval;
import cn.gov.honghu.hub.agency.Caller.AdminCaller;
import cn.gov.honghu.hub.web.Page;
import cn.gov.honghu.hub.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Four eyes for administrators (HUB-SPEC section 11): list the batch replays waiting for approval,
 * approve one (a different admin than its requester) or reject one with a reason. Who may call what
 * is decided by role in the security filter chain; who may approve what, here.
 */
@RestController
@Tag(name = "admin")
class ApprovalController {

  private static final Set<String> STATES =
      Set.of(Approvals.PENDING, Approvals.APPROVED, Approvals.REJECTED);

  private final Approvals approvals;

  ApprovalController(Approvals approvals) {
    this.approvals = approvals;
  }

  @GetMapping("/admin/v1/approvals")
  @Operation(
      summary = "Batch replays waiting for, or given, a second admin's approval (admin)",
      description =
          "Newest first; `state` one of pending, approved, rejected (all without it); paged.")
  @ApiResponse(responseCode = "200", description = "{items, total, page, size}")
  @ApiResponse(responseCode = "400", description = "An unknown state or page/size out of range")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key, or the auditor role")
  Page<Approval> list(
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "1-500") @RequestParam(defaultValue = "50") int size) {
    Page.check(page, size);
    String wanted = state(state);
    return new Page<>(approvals.list(wanted, page, size), approvals.count(wanted), page, size);
  }

  @GetMapping("/admin/v1/approvals/{approvalId}")
  @Operation(
      summary = "One approval request (admin)",
      description = "Its filter, reason, how many deliveries it matched, and the decision.")
  @ApiResponse(responseCode = "200", description = "The approval request")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key, or the auditor role")
  @ApiResponse(responseCode = "404", description = "No approval request with this id")
  Approval one(@PathVariable String approvalId) {
    return approvals
        .find(approvalId)
        .orElseThrow(() -> ProblemException.notFound("no approval request with this id"));
  }

  @PostMapping("/admin/v1/approvals/{approvalId}/approve")
  @Operation(
      summary = "Approve a batch replay (admin, not its requester)",
      description =
          "Replays the deliveries the request matched when it was made that are still failed;"
              + " answers how many were queued again.")
  @ApiResponse(responseCode = "200", description = "{status: APPROVED, queued}")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(
      responseCode = "403",
      description = "The admin who requested it, an agency key, or a role other than admin")
  @ApiResponse(responseCode = "404", description = "No approval request with this id")
  @ApiResponse(responseCode = "409", description = "Already approved or rejected")
  Map<String, Object> approve(
      @Parameter(hidden = true) @AuthenticationPrincipal AdminCaller caller,
      @PathVariable String approvalId) {
    int queued = approvals.approve(approvalId, caller.name());
    return Map.of("status", Approvals.APPROVED, "queued", queued);
  }

  @PostMapping("/admin/v1/approvals/{approvalId}/reject")
  @Operation(
      summary = "Reject a batch replay (admin)",
      description =
          "With a required JSON reason; nothing is replayed. Its requester may reject it too"
              + " (withdraw it).")
  @ApiResponse(responseCode = "200", description = "{status: REJECTED}")
  @ApiResponse(responseCode = "400", description = "No reason given")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key, or a role other than admin")
  @ApiResponse(responseCode = "404", description = "No approval request with this id")
  @ApiResponse(responseCode = "409", description = "Already approved or rejected")
  Map<String, Object> reject(
      @Parameter(hidden = true) @AuthenticationPrincipal AdminCaller caller,
      @PathVariable String approvalId,
      @RequestBody(required = false) Reasons.ReasonBody body) {
    String reason = Reasons.required(body == null ? null : body.reason(), "a rejection");
    approvals.reject(approvalId, caller.name(), reason);
    return Map.of("status", Approvals.REJECTED);
  }

  private static String state(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    String upper = state.strip().toUpperCase(Locale.ROOT);
    if (!STATES.contains(upper)) {
      throw ProblemException.badRequest("state must be pending, approved or rejected");
    }
    return upper;
  }
}
