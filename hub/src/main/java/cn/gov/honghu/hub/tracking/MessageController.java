package cn.gov.honghu.hub.tracking;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.tracking.MessageQueries.Direction;
import cn.gov.honghu.hub.tracking.MessageQueries.MessageStatus;
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
import java.util.Locale;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/messages/{id}} and {@code GET /api/v1/messages} (HUB-SPEC section 3). */
@RestController
@Tag(name = "messages")
class MessageController {

  private final MessageQueries queries;

  MessageController(MessageQueries queries) {
    this.queries = queries;
  }

  @GetMapping("/api/v1/messages/{messageId}")
  @Operation(
      summary = "A message with its receipt and deliveries",
      description =
          "Visible to the sender and the recipients only; a recipient sees its own delivery only.")
  @ApiResponse(responseCode = "200", description = "The message's status")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An admin key")
  @ApiResponse(
      responseCode = "404",
      description = "No such message, or the caller is neither its sender nor a recipient")
  MessageStatus get(
      @Parameter(hidden = true) @AuthenticationPrincipal Agency agency,
      @PathVariable String messageId) {
    return queries
        .find(messageId, agency.code())
        .orElseThrow(() -> ProblemException.notFound("no message with this id visible to you"));
  }

  @GetMapping("/api/v1/messages")
  @Operation(
      summary = "The caller's own traffic",
      description =
          "Messages the caller sent or received, paged as {items, total, page, size}; a full"
              + " page also carries nextCursor, which as after continues at the same cost at any"
              + " depth.")
  @ApiResponse(responseCode = "200", description = "One page of messages")
  @ApiResponse(
      responseCode = "400",
      description = "Unknown direction, a timestamp without offset, or page/size out of range")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An admin key")
  Page<MessageStatus> list(
      @Parameter(hidden = true) @AuthenticationPrincipal Agency agency,
      @Parameter(description = "sent or received; both when absent") @RequestParam(required = false)
          String direction,
      @RequestParam(required = false) String caseNumber,
      @Parameter(description = "ISO-8601 with offset") @RequestParam(required = false) String from,
      @Parameter(description = "ISO-8601 with offset") @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "1-500") @RequestParam(defaultValue = "50") int size,
      @Parameter(description = "nextCursor of the previous page: continue after it (no total)")
          @RequestParam(required = false)
          String after) {
    Page.check(page, size, after);
    Direction which;
    try {
      which =
          direction == null
              ? Direction.BOTH
              : Direction.valueOf(direction.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("direction must be sent or received");
    }
    String caseOf = QueryParams.optional(caseNumber);
    Instant since = QueryParams.instant("from", from);
    Instant until = QueryParams.instant("to", to);
    Cursor cursor = Cursor.decode(after);
    Keyed<MessageStatus> items =
        queries.list(agency.code(), which, caseOf, since, until, cursor, page, size);
    return new Page<>(
        items.items(),
        cursor == null ? queries.count(agency.code(), which, caseOf, since, until) : null,
        page,
        size,
        items.nextCursor());
  }
}
