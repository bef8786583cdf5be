package cn.gov.honghu.hub.store;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.alerts.AlertIndex;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.event.EventLog;
import cn.gov.honghu.hub.event.EventLog.Event;
import cn.gov.honghu.hub.event.EventLog.Kind;
import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.message.Receipt;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.message.Submission.RoutingDecision;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores an accepted message with its deliveries, receipt, case index entries, outbox rows and
 * lifecycle events in one transaction. The 202 is answered only after that commit, so a crash at
 * any instant either loses nothing or leaves nothing (the sender then retries, safely, since
 * anything but a 202 or 200 means nothing was stored).
 */
public final class MessageStore {

  private final JdbcTemplate jdbc;
  private final CaseIndex cases;
  private final AlertIndex alerts;
  private final AgencyRegistry agencies;
  private final EventLog events;
  private final JsonMapper json;
  private final Clock clock;

  public MessageStore(
      JdbcTemplate jdbc,
      CaseIndex cases,
      AlertIndex alerts,
      AgencyRegistry agencies,
      EventLog events,
      JsonMapper json,
      Clock clock) {
    this.jdbc = jdbc;
    this.cases = cases;
    this.alerts = alerts;
    this.agencies = agencies;
    this.events = events;
    this.json = json;
    this.clock = clock;
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
            null);
    insert(message, receipt);
    message.answer(202, receipt);
  }

  private void insert(Submission message, Receipt receipt) {
    Instant now = clock.instant();
    Timestamp at = Timestamp.from(now);
    String messageId = message.messageId();
    MessageType type = message.type();
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
      sequences = cases.addParties(message.caseKey(), message.sender(), recipients);
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
        type.hasAddressee() ? payloadText(message.payload(), "addressee") : null,
        type.hasDecision() ? payloadText(message.payload(), "decision") : null,
        message.businessKeySha256(),
        receipt.receiptId(),
        json.writeValueAsString(receipt),
        message.text(),
        at);
    String incidentId = null;
    if (type == MessageType.FISHING_BAN_ALERT) {
      incidentId =
          alerts.record(
              messageId,
              payloadText(message.payload(), "alertId"),
              message.sender(),
              payloadText(message.payload(), "waterArea"));
    } else if (type == MessageType.RETRACTION) {
      cases.markRetracted(payloadText(message.payload(), "retractedMessageId"), messageId);
    }
    List<Object[]> deliveries = new ArrayList<>();
    List<Object[]> outbox = new ArrayList<>();
    List<Event> log = new ArrayList<>();
    log.add(new Event(Kind.RECEIVED, message.sender(), messageId, null, null, null));
    log.add(new Event(Kind.ACCEPTED, message.sender(), messageId, null, 202, null));
    for (String recipient : recipients) {
      String deliveryId = UUID.randomUUID().toString();
      deliveries.add(
          new Object[] {
            deliveryId,
            messageId,
            recipient,
            message.caseKey(),
            sequences.get(recipient),
            type.isPriority() ? 1 : 0,
            incidentId,
            at
          });
      boolean pull = agencies.find(recipient).map(a -> a.usesInbox()).orElse(true);
      if (!pull) {
        outbox.add(new Object[] {deliveryId, type.isPriority() ? 1 : 0, at});
      }
      log.add(
          new Event(
              Kind.ROUTED,
              recipient,
              messageId,
              deliveryId,
              null,
              "{\"ruleIds\":" + json.writeValueAsString(receipt.ruleIds()) + "}"));
    }
    jdbc.batchUpdate(
        "INSERT INTO delivery (delivery_id, message_id, recipient, case_key, sequence, priority,"
            + " incident_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?)",
        deliveries);
    if (!outbox.isEmpty()) {
      jdbc.batchUpdate(
          "INSERT INTO outbox (delivery_id, priority, created_at) VALUES (?, ?, ?)", outbox);
    }
    events.append(log);
  }

  private static String payloadText(JsonNode payload, String field) {
    JsonNode value = payload.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
