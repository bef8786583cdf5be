package cn.gov.honghu.hub.admin;

import cn.gov.honghu.hub.admin.RefusedMessages.Refused;
import cn.gov.honghu.hub.agency.Caller.AdminCaller;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.delivery.FailedDeliveries;
import cn.gov.honghu.hub.delivery.FailedDeliveries.Detail;
import cn.gov.honghu.hub.delivery.FailedDeliveries.Failed;
import cn.gov.honghu.hub.delivery.FailedDeliveries.Filter;
import cn.gov.honghu.hub.web.Cursor;
import cn.gov.honghu.hub.web.Keyed;
import cn.gov.honghu.hub.web.Page;
import cn.gov.honghu.hub.web.ProblemException;
import cn.gov.honghu.hub.web.QueryParams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The failed-message workflow of HUB-SPEC section 9 for administrators: list and inspect failed
 * deliveries, replay them (one, or all a filter selects) with the same deliveryId, discard them
 * with a reason, and list the messages refused at ingest. Every action is audited with its reason;
 * a batch replay over the four-eyes threshold waits for a second admin ({@link Approvals}).
 */
@RestController
@Tag(name = "admin")
class FailedController {

  private final FailedDeliveries failed;
  private final RefusedMessages refused;
  private final AdminAudit audit;
  private final Approvals approvals;
  private final int fourEyesThreshold;

  FailedController(
      FailedDeliveries failed,
      RefusedMessages refused,
      AdminAudit audit,
      Approvals approvals,
      HubProperties hub) {
    this.failed = failed;
    this.refused = refused;
    this.audit = audit;
    this.approvals = approvals;
    this.fourEyesThreshold = hub.admin().fourEyesThreshold();
  }

  /** The body of a batch replay: the list's filters, each optional, and the required reason. */
  record ReplayFilter(
      String agency, String type, String error, String from, String to, String reason) {}

  @GetMapping("/admin/v1/failed")
  @Operation(
      summary = "Failed deliveries (admin)",
      description =
          "Deliveries that used up their attempts or were refused by the agency (webhook), or"
              + " that the broker dead-lettered (jms), oldest failure first; filters `agency`, `type`, `error` (part of the error's text or class),"
              + " `from`/`to` (ISO-8601 with offset, on the failure time); paged, or by"
              + " `after` (the previous page's `nextCursor`).")
  @ApiResponse(responseCode = "200", description = "{items, total, page, size, nextCursor}")
  @ApiResponse(responseCode = "400", description = "A bad timestamp or page/size out of range")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  Page<Failed> list(
      @RequestParam(required = false) String agency,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String error,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "1-500") @RequestParam(defaultValue = "50") int size,
      @Parameter(description = "nextCursor of the previous page: continue after it (no total)")
          @RequestParam(required = false)
          String after) {
    Page.check(page, size, after);
    Filter filter = filter(agency, type, error, from, to);
    Cursor cursor = Cursor.decode(after);
    Keyed<Failed> items = failed.list(filter, cursor, page, size);
    // The total counts every match: only for OFFSET pages, which the caller asked for.
    return new Page<>(
        items.items(),
        cursor == null ? failed.count(filter) : null,
        page,
        size,
        items.nextCursor());
  }

  @GetMapping("/admin/v1/failed/{id}")
  @Operation(
      summary = "One failed delivery (admin)",
      description = "The delivery, its message as accepted, and every attempt with its error.")
  @ApiResponse(responseCode = "200", description = "{delivery, message, attempts}")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  @ApiResponse(responseCode = "404", description = "No failed delivery with this id")
  Detail detail(
      @PathVariable String id,
      @Parameter(hidden = true) @AuthenticationPrincipal AdminCaller admin) {
    return failed
        .detail(id, admin.name())
        .orElseThrow(() -> ProblemException.notFound("no failed delivery with this id"));
  }

  @PostMapping("/admin/v1/failed/{id}/replay")
  @Operation(
      summary = "Replay one failed delivery (admin)",
      description =
          "Queues it again with the same deliveryId and sequence and a fresh attempt budget (a"
              + " jms delivery is published to the agency's queue again)."
              + " Replaying a delivery that is already queued again changes nothing. The JSON"
              + " body {\"reason\": \"...\"} is required.")
  @ApiResponse(responseCode = "200", description = "{deliveryId, replayed, state}")
  @ApiResponse(responseCode = "400", description = "No reason given")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key, or a role other than admin")
  @ApiResponse(responseCode = "404", description = "No delivery with this id")
  Map<String, Object> replay(
      @Parameter(hidden = true) @AuthenticationPrincipal AdminCaller caller,
      @PathVariable String id,
      @RequestBody(required = false) Reasons.ReasonBody body) {
    String admin = caller.name();
    String reason = Reasons.required(body == null ? null : body.reason(), "a replay");
    String before =
        failed.state(id).orElseThrow(() -> ProblemException.notFound("no delivery with this id"));
    boolean replayed = failed.replay(id, admin, Approvals.detail(null, reason).toString());
    audit.record(admin, "REPLAY", id, reason, replayed ? 1 : 0);
    return Map.of("deliveryId", id, "replayed", replayed, "state", replayed ? "QUEUED" : before);
  }

  @PostMapping("/admin/v1/failed/replay")
  @Operation(
      summary = "Replay failed deliveries by filter (admin)",
      description =
          "The body has the list's filters (agency, type, error, from, to) and a required"
              + " reason, e.g. {\"agency\": \"environment\", \"type\": \"JUDGMENT\","
              + " \"reason\": \"receiver fixed\"}; no filter replays every failed delivery."
              + " Up to hub.admin.four-eyes-threshold matches (default 100) are queued again at"
              + " once (200 {queued}); more wait for a different admin's approval (202"
              + " {approvalId, status: PENDING_APPROVAL, matched}), which replays the deliveries"
              + " matched now that are still failed then.")
  @ApiResponse(responseCode = "200", description = "{queued}")
  @ApiResponse(
      responseCode = "202",
      description = "{approvalId, status: PENDING_APPROVAL, matched}: waits for four eyes")
  @ApiResponse(responseCode = "400", description = "No reason given, or a bad timestamp")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key, or a role other than admin")
  ResponseEntity<Map<String, Object>> replayAll(
      @Parameter(hidden = true) @AuthenticationPrincipal AdminCaller caller,
      @RequestBody(required = false) ReplayFilter body) {
    String admin = caller.name();
    ReplayFilter given = body == null ? new ReplayFilter(null, null, null, null, null, null) : body;
    String reason = Reasons.required(given.reason(), "a batch replay");
    Filter filter = filter(given.agency(), given.type(), given.error(), given.from(), given.to());
    List<String> matched = failed.matching(filter);
    if (matched.size() > fourEyesThreshold) {
      String approvalId = approvals.request(admin, reason, filterJson(filter), matched);
      return ResponseEntity.status(HttpStatus.ACCEPTED)
          .body(
              Map.of(
                  "approvalId",
                  approvalId,
                  "status",
                  "PENDING_APPROVAL",
                  "matched",
                  matched.size()));
    }
    int queued = failed.replay(matched, admin, Approvals.detail(null, reason).toString());
    audit.record(admin, "REPLAY_BATCH", filter.toString(), reason, queued);
    return ResponseEntity.ok(Map.of("queued", queued));
  }

  @PostMapping("/admin/v1/failed/{id}/discard")
  @Operation(
      summary = "Discard one failed delivery (admin)",
      description = "For good, with a required reason; it stays in the audit trail.")
  @ApiResponse(responseCode = "200", description = "{deliveryId, discarded, state}")
  @ApiResponse(responseCode = "400", description = "No reason given")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key, or a role other than admin")
  @ApiResponse(responseCode = "404", description = "No delivery with this id")
  Map<String, Object> discard(
      @Parameter(hidden = true) @AuthenticationPrincipal AdminCaller caller,
      @PathVariable String id,
      @RequestBody(required = false) Reasons.ReasonBody body) {
    String admin = caller.name();
    String reason = Reasons.required(body == null ? null : body.reason(), "a discard");
    String before =
        failed.state(id).orElseThrow(() -> ProblemException.notFound("no delivery with this id"));
    boolean discarded = failed.discard(id, admin, Approvals.detail(null, reason).toString());
    audit.record(admin, "DISCARD", id, reason, discarded ? 1 : 0);
    return Map.of(
        "deliveryId", id, "discarded", discarded, "state", discarded ? "DISCARDED" : before);
  }

  @GetMapping("/admin/v1/rejected")
  @Operation(
      summary = "Messages refused at ingest (admin)",
      description =
          "Newest first, with the status and the problem's title, detail and members (e.g. the"
              + " rule of a 422); filters `agency`, `status`, `from`, `to`; paged, or by `after`"
              + " (the previous page's `nextCursor`).")
  @ApiResponse(responseCode = "200", description = "{items, total, page, size, nextCursor}")
  @ApiResponse(responseCode = "400", description = "A bad timestamp or page/size out of range")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  Page<Refused> rejected(
      @RequestParam(required = false) String agency,
      @RequestParam(required = false) Integer status,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "1-500") @RequestParam(defaultValue = "50") int size,
      @Parameter(description = "nextCursor of the previous page: continue after it (no total)")
          @RequestParam(required = false)
          String after) {
    Page.check(page, size, after);
    Instant since = QueryParams.instant("from", from);
    Instant until = QueryParams.instant("to", to);
    String who = QueryParams.optional(agency);
    Cursor cursor = Cursor.decode(after);
    Keyed<Refused> items = refused.list(who, status, since, until, cursor, page, size);
    return new Page<>(
        items.items(),
        cursor == null ? refused.count(who, status, since, until) : null,
        page,
        size,
        items.nextCursor());
  }

  /** The filter as the approval keeps it for the second admin to read. */
  private static String filterJson(Filter filter) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    putIfSet(json, "agency", filter.agency());
    putIfSet(json, "type", filter.type());
    putIfSet(json, "error", filter.error());
    putIfSet(json, "from", filter.from() == null ? null : filter.from().toString());
    putIfSet(json, "to", filter.to() == null ? null : filter.to().toString());
    String text = json.toString();
    if (text.length() > 2000) {
      throw ProblemException.badRequest("the filter is longer than 2000 characters");
    }
    return text;
  }

  private static void putIfSet(ObjectNode json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  private static Filter filter(String agency, String type, String error, String from, String to) {
    return new Filter(
        QueryParams.optional(agency),
        QueryParams.optional(type),
        QueryParams.optional(error),
        QueryParams.instant("from", from),
        QueryParams.instant("to", to));
  }
}
