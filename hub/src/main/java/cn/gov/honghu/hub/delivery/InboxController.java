package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pull inbox endpoints of HUB-SPEC section 4; only {@code pull} agencies use them. Logs (DEBUG)
 * the agency and counts only, never delivery content.
 */
@RestController
@Tag(name = "inbox")
class InboxController {

  private static final Logger log = LoggerFactory.getLogger(InboxController.class);
  static final int MAX_BATCH = 500;

  private final Inbox inbox;

  InboxController(Inbox inbox) {
    this.inbox = inbox;
  }

  /** Body of a batch acknowledgement. */
  record AckRequest(List<String> deliveryIds) {}

  @GetMapping("/api/v1/inbox")
  @Operation(
      summary = "Pull unacknowledged deliveries",
      description =
          "Priority alerts first, then oldest first, as {\"deliveries\": [...]}; a delivery comes"
              + " back on every pull until it is acknowledged (`attempt` counts the hand-outs).")
  @ApiResponse(responseCode = "200", description = "The deliveries, at most `limit`")
  @ApiResponse(responseCode = "400", description = "limit outside 1-500")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(
      responseCode = "403",
      description = "An admin key, or an agency that receives by webhook or JMS")
  Map<String, List<Inbox.Item>> pull(
      @Parameter(hidden = true) @AuthenticationPrincipal Agency agency,
      @Parameter(description = "At most this many deliveries (1-500)")
          @RequestParam(defaultValue = "50")
          int limit) {
    requireInbox(agency);
    if (limit < 1 || limit > MAX_BATCH) {
      throw ProblemException.badRequest("limit must be between 1 and " + MAX_BATCH);
    }
    List<Inbox.Item> deliveries = inbox.pull(agency.code(), limit);
    log.debug("inbox pull by {}: {} deliveries", agency.code(), deliveries.size());
    return Map.of("deliveries", deliveries);
  }

  @PostMapping("/api/v1/inbox/{deliveryId}/ack")
  @Operation(summary = "Acknowledge one delivery", description = "Idempotent.")
  @ApiResponse(responseCode = "204", description = "Acknowledged (or already acknowledged)")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(
      responseCode = "403",
      description = "An admin key, or an agency that receives by webhook or JMS")
  @ApiResponse(responseCode = "404", description = "No delivery with this id in your inbox")
  ResponseEntity<Void> acknowledge(
      @Parameter(hidden = true) @AuthenticationPrincipal Agency agency,
      @PathVariable String deliveryId) {
    requireInbox(agency);
    if (!inbox.acknowledge(agency.code(), deliveryId)) {
      throw ProblemException.notFound("no delivery with this id in your inbox");
    }
    log.debug("inbox ack by {}: 1 delivery", agency.code());
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/api/v1/inbox/ack")
  @Operation(
      summary = "Acknowledge a batch of deliveries",
      description =
          "At most 500 ids; answers which were acknowledged and which are unknown (not yours or"
              + " no such delivery).")
  @ApiResponse(responseCode = "200", description = "The acknowledged and the unknown ids")
  @ApiResponse(responseCode = "400", description = "No deliveryIds list, or more than 500")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(
      responseCode = "403",
      description = "An admin key, or an agency that receives by webhook or JMS")
  Inbox.BatchAck acknowledgeBatch(
      @Parameter(hidden = true) @AuthenticationPrincipal Agency agency,
      @RequestBody(required = false) AckRequest request) {
    requireInbox(agency);
    if (request == null || request.deliveryIds() == null) {
      throw ProblemException.badRequest("body must be {\"deliveryIds\": [...]}");
    }
    if (request.deliveryIds().size() > MAX_BATCH) {
      throw ProblemException.badRequest("at most " + MAX_BATCH + " deliveryIds per batch");
    }
    if (request.deliveryIds().stream().anyMatch(id -> id == null || id.length() > 64)) {
      throw ProblemException.badRequest("deliveryIds must be delivery id strings");
    }
    Inbox.BatchAck answer = inbox.acknowledge(agency.code(), request.deliveryIds());
    log.debug(
        "inbox batch ack by {}: {} acknowledged, {} unknown",
        agency.code(),
        answer.acknowledged().size(),
        answer.unknown().size());
    return answer;
  }

  /** Only an agency that receives by the pull inbox may use it. */
  private static void requireInbox(Agency agency) {
    if (!agency.usesInbox()) {
      throw ProblemException.forbidden(
          "agency "
              + agency.code()
              + " receives by "
              + agency.deliveryMode().name().toLowerCase()
              + ", not by the pull inbox");
    }
  }
}
