package cn.gov.honghu.hub.deadlines;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.deadlines.DeadlineBook.DeadlineView;
import cn.gov.honghu.hub.web.Cursor;
import cn.gov.honghu.hub.web.Page;
import cn.gov.honghu.hub.web.ProblemException;
import cn.gov.honghu.hub.web.QueryParams;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/deadlines}: what the calling agency owes and by when; {@code GET
 * /admin/v1/deadlines}: every deadline, for the deadline board.
 */
@RestController
@Tag(name = "deadlines")
class DeadlineController {

  private final DeadlineBook book;
  private final ZoneId zone;

  DeadlineController(DeadlineBook book, DeadlineSettings settings) {
    this.book = book;
    this.zone = settings.calendar().zone();
  }

  /** One deadline as the API shows it; times in the hub's zone. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Item(
      String id,
      String caseNumber,
      String owedBy,
      String act,
      OffsetDateTime openedAt,
      OffsetDateTime dueAt,
      OffsetDateTime closedAt,
      String state,
      String source) {}

  @GetMapping("/api/v1/deadlines")
  @Operation(
      summary = "The deadlines the caller owes",
      description =
          "Paged as {items, total, page, size, nextCursor} (or by `after`, the previous page's"
              + " `nextCursor`), soonest due first; `state` one of OPEN, OVERDUE,"
              + " CLOSED (on time or late), CLOSED_ON_TIME, CLOSED_LATE, LAPSED.")
  @ApiResponse(responseCode = "200", description = "One page of deadlines")
  @ApiResponse(responseCode = "400", description = "Unknown state, or page/size out of range")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An admin key")
  Page<Item> owed(
      @Parameter(hidden = true) @AuthenticationPrincipal Agency agency,
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "1-500") @RequestParam(defaultValue = "50") int size,
      @Parameter(description = "nextCursor of the previous page: continue after it (no total)")
          @RequestParam(required = false)
          String after) {
    return page(agency.code(), state(state), null, after, page, size);
  }

  @GetMapping("/admin/v1/deadlines")
  @Operation(
      summary = "Every deadline (admin)",
      description =
          "Filtered by `state`, `agency` (who owes it) and `deadlineId` (D1-D7); paged as"
              + " {items, total, page, size}.")
  @ApiResponse(responseCode = "200", description = "One page of deadlines")
  @ApiResponse(responseCode = "400", description = "Unknown state, or page/size out of range")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  Page<Item> all(
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String agency,
      @RequestParam(required = false) String deadlineId,
      @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "1-500") @RequestParam(defaultValue = "50") int size,
      @Parameter(description = "nextCursor of the previous page: continue after it (no total)")
          @RequestParam(required = false)
          String after) {
    return page(
        QueryParams.optional(agency),
        state(state),
        deadlineId == null ? null : QueryParams.optional(deadlineId.toUpperCase(Locale.ROOT)),
        after,
        page,
        size);
  }

  private Page<Item> page(
      String owedBy, String state, String deadlineId, String after, int page, int size) {
    Page.check(page, size, after);
    Cursor cursor = Cursor.decode(after);
    List<DeadlineView> found = book.find(owedBy, state, deadlineId, cursor, page, size);
    DeadlineView last = found.isEmpty() ? null : found.get(found.size() - 1);
    // The total counts every match: only for OFFSET pages, which the caller asked for.
    return new Page<>(
        found.stream().map(this::item).toList(),
        cursor == null ? book.count(owedBy, state, deadlineId) : null,
        page,
        size,
        found.size() == size ? new Cursor(last.dueAt(), last.row()).encode() : null);
  }

  private Item item(DeadlineView d) {
    return new Item(
        d.id(),
        d.caseNumber(),
        d.owedBy(),
        d.act(),
        at(d.openedAt()),
        at(d.dueAt()),
        at(d.closedAt()),
        d.state(),
        d.source());
  }

  private OffsetDateTime at(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, zone);
  }

  /** The state filter, case-insensitive; an unknown state is a 400. */
  private static String state(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    String upper = state.strip().toUpperCase(Locale.ROOT);
    if (!DeadlineBook.isState(upper)) {
      throw ProblemException.badRequest(
          "state must be one of OPEN, OVERDUE, CLOSED (on time or late), CLOSED_ON_TIME,"
              + " CLOSED_LATE, LAPSED");
    }
    return upper;
  }
}
