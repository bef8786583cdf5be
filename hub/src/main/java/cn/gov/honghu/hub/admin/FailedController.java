package cn.gov.honghu.hub.admin;

import cn.gov.honghu.hub.admin.RefusedMessages.Refused;
import cn.gov.honghu.hub.agency.Caller.AdminCaller;
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
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The failed-message workflow of HUB-SPEC section 9 for administrators: list and inspect failed
 * deliveries, replay them (one, or all a filter selects) with the same deliveryId, discard them
 * with a reason, and list the messages refused at ingest. Every action is audited.
 */
@RestController
@Tag(name = "admin")
class FailedController {

  private final FailedDeliveries failed;
  private final RefusedMessages refused;
  private final AdminAudit audit;

  FailedController(FailedDeliveries failed, RefusedMessages refused, AdminAudit audit) {
    this.failed = failed;
    this.refused = refused;
    this.audit = audit;
  }

  /** The body of a batch replay: the list's filters, each optional. */
  record ReplayFilter(String agency, String type, String error, String from, String to) {}

  /** The body of a discard: the reason is required. */
  record DiscardRequest(String reason) {}

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
              + " Replaying a delivery that is already queued again changes nothing.")
  @ApiResponse(responseCode = "200", description = "{deliveryId, replayed, state}")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  @ApiResponse(responseCode = "404", description = "No delivery with this id")
  Map<String, Object> replay(
      @Parameter(hidden = true) @AuthenticationPrincipal AdminCaller caller,
      @PathVariable String id) {
    String admin = caller.name();
    String before =
        failed.state(id).orElseThrow(() -> ProblemException.notFound("no delivery with this id"));
    boolean replayed = failed.replay(id, admin);
    audit.record(admin, "REPLAY", id, null, replayed ? 1 : 0);
    return Map.of("deliveryId", id, "replayed", replayed, "state", replayed ? "QUEUED" : before);
  }

  @PostMapping("/admin/v1/failed/replay")
  @Operation(
      summary = "Replay failed deliveries by filter (admin)",
      description =
          "The body has the list's filters (agency, type, error, from, to), e.g. {\"agency\":"
              + " \"environment\", \"type\": \"JUDGMENT\"}; an empty body replays every failed"
              + " delivery. Answers how many were queued again.")
  @ApiResponse(responseCode = "200", description = "{queued}")
  @ApiResponse(responseCode = "400", description = "A bad timestamp")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  Map<String, Object> replayAll(
      @Parameter(hidden = true) @AuthenticationPrincipal AdminCaller caller,
      @RequestBody(required = false) ReplayFilter body) {
    String admin = caller.name();
    ReplayFilter given = body == null ? new ReplayFilter(null, null, null, null, null) : body;
    Filter filter = filter(given.agency(), given.type(), given.error(), given.from(), given.to());
    int queued = failed.replay(filter, admin);
    audit.record(admin, "REPLAY_BATCH", filter.toString(), null, queued);
    return Map.of("queued", queued);
  }

  @PostMapping("/admin/v1/failed/{id}/discard")
  @Operation(
      summary = "Discard one failed delivery (admin)",
      description = "For good, with a required reason; it stays in the audit trail.")
  @ApiResponse(responseCode = "200", description = "{deliveryId, discarded, state}")
  @ApiResponse(responseCode = "400", description = "No reason given")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  @ApiResponse(responseCode = "404", description = "No delivery with this id")
  Map<String, Object> discard(
      @Parameter(hidden = true) @AuthenticationPrincipal AdminCaller caller,
      @PathVariable String id,
      @RequestBody(required = false) DiscardRequest body) {
    String admin = caller.name();
    if (body == null || body.reason() == null || body.reason().isBlank()) {
      throw ProblemException.badRequest("a discard needs a reason: {\"reason\": \"...\"}");
    }
    String before =
        failed.state(id).orElseThrow(() -> ProblemException.notFound("no delivery with this id"));
    boolean discarded = failed.discard(id, admin);
    audit.record(admin, "DISCARD", id, body.reason().strip(), discarded ? 1 : 0);
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

  private static Filter filter(String agency, String type, String error, String from, String to) {
    return new Filter(
        QueryParams.optional(agency),
        QueryParams.optional(type),
        QueryParams.optional(error),
        QueryParams.instant("from", from),
        QueryParams.instant("to", to));
  }
}
