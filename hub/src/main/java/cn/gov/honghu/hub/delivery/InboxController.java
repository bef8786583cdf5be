package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.message.ProblemException;
import cn.gov.honghu.hub.web.Callers;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The pull inbox endpoints of HUB-SPEC section 4; only {@code pull} agencies use them. */
@RestController
class InboxController {

  static final int MAX_BATCH = 500;

  private final Callers callers;
  private final Inbox inbox;

  InboxController(Callers callers, Inbox inbox) {
    this.callers = callers;
    this.inbox = inbox;
  }

  /** Body of a batch acknowledgement. */
  record AckRequest(List<String> deliveryIds) {}

  @GetMapping("/api/v1/inbox")
  Map<String, List<Inbox.Item>> pull(
      @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestParam(defaultValue = "50") int limit) {
    Agency agency = pullAgency(authorization);
    if (limit < 1 || limit > MAX_BATCH) {
      throw ProblemException.badRequest("limit must be between 1 and " + MAX_BATCH);
    }
    return Map.of("deliveries", inbox.pull(agency.code(), limit));
  }

  @PostMapping("/api/v1/inbox/{deliveryId}/ack")
  ResponseEntity<Void> acknowledge(
      @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @PathVariable String deliveryId) {
    Agency agency = pullAgency(authorization);
    if (!inbox.acknowledge(agency.code(), deliveryId)) {
      throw ProblemException.notFound("no delivery with this id in your inbox");
    }
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/api/v1/inbox/ack")
  Inbox.BatchAck acknowledgeBatch(
      @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestBody(required = false) AckRequest request) {
    Agency agency = pullAgency(authorization);
    if (request == null || request.deliveryIds() == null) {
      throw ProblemException.badRequest("body must be {\"deliveryIds\": [...]}");
    }
    if (request.deliveryIds().size() > MAX_BATCH) {
      throw ProblemException.badRequest("at most " + MAX_BATCH + " deliveryIds per batch");
    }
    if (request.deliveryIds().stream().anyMatch(id -> id == null || id.length() > 64)) {
      throw ProblemException.badRequest("deliveryIds must be delivery id strings");
    }
    return inbox.acknowledge(agency.code(), request.deliveryIds());
  }

  private Agency pullAgency(String authorization) {
    Agency agency = callers.requireAgency(authorization);
    if (!agency.usesInbox()) {
      throw ProblemException.forbidden(
          "agency "
              + agency.code()
              + " receives by "
              + agency.deliveryMode().name().toLowerCase()
              + ", not by the pull inbox");
    }
    return agency;
  }
}
