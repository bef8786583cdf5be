package cn.gov.honghu.hub.messages;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.message.ProblemException;
import cn.gov.honghu.hub.messages.MessageQueries.Direction;
import cn.gov.honghu.hub.messages.MessageQueries.MessageStatus;
import cn.gov.honghu.hub.messages.MessageQueries.Page;
import cn.gov.honghu.hub.web.Callers;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/messages/{id}} and {@code GET /api/v1/messages} (HUB-SPEC section 3). */
@RestController
class MessageController {

  static final int MAX_PAGE_SIZE = 500;

  private final Callers callers;
  private final MessageQueries queries;

  MessageController(Callers callers, MessageQueries queries) {
    this.callers = callers;
    this.queries = queries;
  }

  @GetMapping("/api/v1/messages/{messageId}")
  MessageStatus get(
      @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String messageId) {
    Agency agency = callers.requireAgency(authorization);
    return queries
        .find(messageId, agency.code())
        .orElseThrow(() -> ProblemException.notFound("no message with this id visible to you"));
  }

  @GetMapping("/api/v1/messages")
  Page<MessageStatus> list(
      @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestParam(required = false) String direction,
      @RequestParam(required = false) String caseNumber,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    Agency agency = callers.requireAgency(authorization);
    if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
      throw ProblemException.badRequest(
          "page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
    }
    Direction which;
    try {
      which =
          direction == null
              ? Direction.BOTH
              : Direction.valueOf(direction.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("direction must be sent or received");
    }
    return queries.list(
        agency.code(),
        which,
        blankToNull(caseNumber),
        instant("from", from),
        instant("to", to),
        page,
        size);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest(name + " must be an ISO-8601 timestamp with offset");
    }
  }
}
