package cn.gov.honghu.hub.store;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.alerts.AlertIndex;
import cn.gov.honghu.hub.alerts.AlertIndex.Correlation;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.cases.TransferOmissions;
import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.message.HubMessage;
import cn.gov.honghu.hub.message.HubMessages;
import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.message.Receipt;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.message.Submission.Raised;
import cn.gov.honghu.hub.message.Submission.RoutingDecision;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stores an accepted message with its deliveries, receipt, case index entries, outbox rows and
 * lifecycle events in one transaction. The 202 is answered only after that commit, so a crash at
 * any instant either loses nothing or leaves nothing (the sender then retries, safely, since
 * anything but a 202 or 200 means nothing was stored).
 */
public final class MessageStore implements HubMessages {

  /** The sender of hub-generated messages. */
  public static final String HUB = "hub";

  private final EnvelopeCipher cipher;
  private final JdbcTemplate jdbc;
  private final CaseIndex cases;
  private final AlertIndex alerts;
  private final AgencyRegistry agencies;
  private final EventLog events;
  private final StatCounters counters;
  private final TransferOmissions omissions;
  private final JsonMapper json;
  private final Clock clock;
  private final ZoneId zone;

  public MessageStore(
      JdbcTemplate jdbc,
      CaseIndex cases,
      AlertIndex alerts,
      AgencyRegistry agencies,
      EventLog events,
      TransferOmissions omissions,
      EnvelopeCipher cipher,
      JsonMapper json,
      Clock clock,
      ZoneId zone) {
    this.cipher = cipher;
    this.jdbc = jdbc;
    this.cases = cases;
    this.alerts = alerts;
    this.agencies = agencies;
    this.events = events;
    this.counters = new StatCounters(jdbc);
    this.omissions = omissions;
    this.json = json;
    this.clock = clock;
    this.zone = zone;
  }

  public void accept(Submission message) {
    RoutingDecision routing = message.routing();
    Receipt receipt =
        new Receipt(
            message.messageId(),
            UUID.randomUUID().toString(),
            Receipt.ACCEPTED,
            routing.recipients(),
            routing.ruleIds(),
            routing.clauses(),
            routing.flags(),
            routing.factSources().isEmpty() ? null : routing.factSources(),
            null);
    Instant now = clock.instant();
    MessageType type = message.type();
    JsonNode payload = message.payload();
    insert(
        new Row(
            message.messageId(),
            type,
            message.sender(),
            message.caseKey(),
            message.caseNumber(),
            type.hasAddressee() ? payloadText(payload, "addressee") : null,
            type.hasDecision() ? payloadText(payload, "decision") : null,
            message.contentSha256(),
            message.businessKeySha256(),
            message.text(),
            payload),
        receipt,
        now);
    for (Raised raised : routing.raised()) {
      raise(message, raised, now);
    }
    if (type == MessageType.CASE_TRANSFER && message.caseKey() != null) {
      List<Event> remedied = new ArrayList<>();
      for (String alertId : omissions.remedy(message.caseKey(), message.messageId(), now)) {
        remedied.add(
            new Event(
                Kind.OMISSION_REMEDIED,
                message.sender(),
                alertId,
                null,
                null,
                json.createObjectNode().put("remediedBy", message.messageId()).toString()));
      }
      if (!remedied.isEmpty()) {
        events.append(remedied);
      }
    }
    message.answer(202, receipt);
  }

  /**
   * Stores a hub-generated message (sender {@code hub}) raised by routing, in the same transaction
   * as the message that raised it: both are delivered or neither is stored.
   */
  private void raise(Submission cause, Raised raised, Instant now) {
    RoutingDecision routing = cause.routing();
    String messageId =
        storeHubMessage(
            new HubMessage(
                raised.type(),
                cause.caseKey(),
                cause.caseNumber(),
                hubPayload(cause, raised),
                raised.recipients(),
                List.of(raised.ruleId()),
                routing.clauses(),
                cause.messageId()),
            now);
    if (messageId != null && raised.type() == MessageType.TRANSFER_OMISSION_ALERT) {
      omissions.raised(messageId, cause.caseKey(), cause.messageId(), routing.clauses(), now);
    }
  }

  /**
   * Stores a hub-generated message with its deliveries in the caller's transaction; returns its
   * message id, or null when it has no recipient.
   */
  @Override
  public String storeHubMessage(HubMessage message, Instant now) {
    if (message.recipients().isEmpty()) {
      return null;
    }
    String messageId = UUID.randomUUID().toString();
    ObjectNode envelope = json.createObjectNode();
    envelope.put("messageId", messageId);
    envelope.put("type", message.type().name());
    envelope.put("schemaVersion", "1");
    envelope.put("sender", HUB);
    envelope.put("sentAt", OffsetDateTime.ofInstant(now, zone).toString());
    if (message.caseNumber() != null) {
      envelope.put("caseNumber", message.caseNumber());
    }
    envelope.set("payload", message.payload());
    String text = json.writeValueAsString(envelope);
    Receipt receipt =
        new Receipt(
            messageId,
            UUID.randomUUID().toString(),
            Receipt.ACCEPTED,
            message.recipients(),
            message.ruleIds(),
            message.clauses(),
            List.of(),
            null);
    insert(
        new Row(
            messageId,
            message.type(),
            HUB,
            message.caseKey(),
            message.caseNumber(),
            null,
            null,
            sha256(text),
            sha256(HUB + "|" + message.type() + "|" + message.cause()),
            text,
            message.payload()),
        receipt,
        now);
    return messageId;
  }

  /** The payload of a hub-generated message (HUB-SPEC section 5, "Hub-generated payloads"). */
  private ObjectNode hubPayload(Submission cause, Raised raised) {
    ObjectNode payload = json.createObjectNode();
    if (raised.type() != MessageType.TRANSFER_OMISSION_ALERT) {
      throw new IllegalStateException("no payload for a raised " + raised.type());
    }
    payload.put("decisionMessageId", cause.messageId());
    String decisionNo = payloadText(cause.payload(), "decisionNo");
    if (decisionNo != null) {
      payload.put("decisionNo", decisionNo);
    }
    payload.put("decidedBy", cause.sender());
    ArrayNode clauses = payload.putArray("clauses");
    cause.routing().clauses().forEach(clauses::add);
    ArrayNode basis = payload.putArray("legalBasis");
    basis.add(raised.basis());
    cause
        .assessment()
        .clauseSources()
        .forEach((clause, source) -> basis.add(clause + ": " + source));
    return payload;
  }

  /** One message to store: the sender's or the hub's own. */
  private record Row(
      String messageId,
      MessageType type,
      String sender,
      String caseKey,
      String caseNumber,
      String addressee,
      String decision,
      String contentSha256,
      String businessKeySha256,
      String envelope,
      JsonNode payload) {}

  private void insert(Row message, Receipt receipt, Instant now) {
    Timestamp at = Timestamp.from(now);
    String messageId = message.messageId();
    MessageType type = message.type();
    boolean fromHub = HUB.equals(message.sender());
    jdbc.update(
        "INSERT INTO message_key (message_id, original_id, content_sha256, sender, created_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        messageId,
        messageId,
        message.contentSha256(),
        message.sender(),
        at);
    List<String> recipients = receipt.recipients();
    Map<String, Integer> sequences = Map.of();
    if (message.caseKey() != null) {
      sequences =
          cases.addParties(message.caseKey(), fromHub ? null : message.sender(), recipients);
    }
    jdbc.update(
        "INSERT INTO hub_message (message_id, type, sender, case_key, case_number, addressee,"
            + " decision, business_key_sha256, receipt_id, receipt, envelope, accepted_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        messageId,
        type.name(),
        message.sender(),
        message.caseKey(),
        message.caseNumber(),
        message.addressee(),
        message.decision(),
        message.businessKeySha256(),
        receipt.receiptId(),
        json.writeValueAsString(receipt),
        cipher.seal(messageId, message.envelope()),
        at);
    String incidentId = null;
    boolean update = false;
    if (type == MessageType.FISHING_BAN_ALERT) {
      Correlation correlation = alerts.record(messageId, message.payload(), message.sender(), now);
      incidentId = correlation.incidentId();
      update = correlation.update();
    } else if (type == MessageType.ALERT_ACK) {
      JsonNode payload = message.payload();
      alerts
          .find(payloadText(payload, "alertId"), payloadText(payload, "incidentId"))
          .ifPresent(
              alert ->
                  alerts.acknowledge(
                      alert, message.sender(), payloadText(payload, "action"), messageId, now));
    } else if (type == MessageType.RETRACTION) {
      cases.markRetracted(payloadText(message.payload(), "retractedMessageId"), messageId);
    }
    List<Object[]> deliveries = new ArrayList<>();
    List<Object[]> outbox = new ArrayList<>();
    List<Event> log = new ArrayList<>();
    if (!fromHub) {
      log.add(
          new Event(
              Kind.RECEIVED, message.sender(), messageId, null, null, null, message.caseNumber()));
    }
    log.add(
        new Event(
            Kind.ACCEPTED,
            message.sender(),
            messageId,
            null,
            202,
            decision(receipt),
            message.caseNumber()));
    String routedDetail =
        json.createObjectNode().set("ruleIds", json.valueToTree(receipt.ruleIds())).toString();
    for (String recipient : recipients) {
      String deliveryId = UUID.randomUUID().toString();
      Agency agency = agencies.find(recipient).orElse(null);
      deliveries.add(
          new Object[] {
            deliveryId,
            messageId,
            recipient,
            message.caseKey(),
            sequences.get(recipient),
            // 1 or 0, nothing else: the pull and the webhook claim read one priority at a time.
            type.isPriority() ? 1 : 0,
            incidentId,
            update,
            at,
            // A webhook delivery is due at once; the dispatcher reschedules it on failure.
            agency != null && agency.usesWebhook() ? at : null
          });
      if (agency != null && agency.consumesQueue()) {
        outbox.add(new Object[] {deliveryId, type.isPriority() ? 1 : 0, at});
      }
      log.add(
          new Event(
              Kind.ROUTED,
              recipient,
              messageId,
              deliveryId,
              null,
              routedDetail,
              message.caseNumber()));
    }
    jdbc.batchUpdate(
        "INSERT INTO delivery (delivery_id, message_id, recipient, case_key, sequence, priority,"
            + " incident_id, is_update, state, created_at, next_attempt_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?)",
        deliveries);
    if (!outbox.isEmpty()) {
      jdbc.batchUpdate(
          "INSERT INTO outbox (delivery_id, priority, created_at) VALUES (?, ?, ?)", outbox);
    }
    events.append(log);
    // Last, so that the counter rows stay locked for the commit only.
    List<StatCounters.Total> totals = new ArrayList<>();
    if (!fromHub) {
      totals.add(new StatCounters.Total(message.sender(), StatCounters.ACCEPTED, type.name()));
    }
    recipients.forEach(r -> totals.add(new StatCounters.Total(r, StatCounters.ROUTED, "")));
    counters.increment(totals);
  }

  /**
   * The decision's explanation for the timeline (HUB-SPEC section 3): rule ids, met clauses, flags
   * and the sources of hub-supplied facts. Ids and codes only, never payload content.
   */
  private String decision(Receipt receipt) {
    ObjectNode detail = json.createObjectNode();
    detail.set("ruleIds", json.valueToTree(receipt.ruleIds()));
    detail.set("clauses", json.valueToTree(receipt.clauses()));
    detail.set("flags", json.valueToTree(receipt.flags()));
    if (receipt.factSources() != null) {
      detail.set("factSources", json.valueToTree(receipt.factSources()));
    }
    return json.writeValueAsString(detail);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static String payloadText(JsonNode payload, String field) {
    JsonNode value = payload.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
