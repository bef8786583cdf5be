package cn.gov.honghu.hub.alerts;

import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.message.HubMessage;
import cn.gov.honghu.hub.message.HubMessages;
import cn.gov.honghu.hub.message.MessageType;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Escalates incidents that no recipient acknowledged (an {@code ALERT_ACK}; an inbox ack is only a
 * delivery receipt) within {@code hub.alerts.escalate-after} of the hub's acceptance of their first
 * report: one {@code ALERT_ESCALATION} (sender {@code hub}) to the police and the fishery
 * administration (agriculture).
 *
 * <p>Important: exactly once across restarts and instances, like the overdue watch: the claim is a
 * conditional update ({@code escalated_at IS NULL}) in the transaction that stores the message.
 */
public final class EscalationWatch {

  /** Who an escalation goes to (HUB-SPEC section 8). */
  static final List<String> ESCALATE_TO = List.of("police", "agriculture");

  private static final Logger log = LoggerFactory.getLogger(EscalationWatch.class);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final AlertIndex alerts;
  private final HubMessages store;
  private final JsonMapper json;
  private final Clock clock;
  private final ZoneId zone;
  private final AuditTrail audit;

  public EscalationWatch(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      AlertIndex alerts,
      HubMessages store,
      JsonMapper json,
      Clock clock,
      ZoneId zone,
      AuditTrail audit) {
    this.audit = audit;
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.alerts = alerts;
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.zone = zone;
  }

  /** Escalates every incident that is due; returns how many this instance escalated. */
  public int sweep() {
    Instant now = clock.instant();
    List<String> due =
        jdbc.queryForList(
            "SELECT incident_id FROM incident WHERE escalated_at IS NULL"
                + " AND acknowledged_at IS NULL AND escalate_at < ? ORDER BY escalate_at LIMIT 100",
            String.class,
            Timestamp.from(now));
    int escalated = 0;
    for (String incidentId : due) {
      try {
        if (Boolean.TRUE.equals(transaction.execute(status -> escalate(incidentId, now)))) {
          escalated++;
        }
      } catch (DataAccessException e) {
        log.debug("incident not escalated this time: {}", e.getClass().getSimpleName());
      }
    }
    return escalated;
  }

  private boolean escalate(String incidentId, Instant now) {
    if (jdbc.update(
            "UPDATE incident SET escalated_at = ? WHERE incident_id = ? AND escalated_at IS NULL"
                + " AND acknowledged_at IS NULL",
            Timestamp.from(now),
            incidentId)
        != 1) {
      return false;
    }
    ObjectNode payload = json.createObjectNode();
    payload.put("incidentId", incidentId);
    payload.put(
        "waterArea",
        jdbc.queryForObject(
            "SELECT water_area FROM incident WHERE incident_id = ?", String.class, incidentId));
    ArrayNode reports = payload.putArray("reports");
    jdbc.query(
        "SELECT message_id, alert_id, sender, observed_at, lat, lon, kind FROM alert"
            + " WHERE incident_id = ? ORDER BY observed_at, message_id",
        rs -> {
          ObjectNode report = reports.addObject();
          report.put("messageId", rs.getString(1));
          report.put("alertId", rs.getString(2));
          report.put("sender", rs.getString(3));
          Timestamp observed = rs.getTimestamp(4);
          if (observed != null) {
            report.put(
                "observedAt", OffsetDateTime.ofInstant(observed.toInstant(), zone).toString());
          }
          report.put("lat", rs.getDouble(5));
          report.put("lon", rs.getDouble(6));
          report.put("kind", rs.getString(7));
        },
        incidentId);
    ArrayNode recipients = payload.putArray("recipients");
    alerts.recipients(incidentId).forEach(recipients::add);
    String messageId =
        store.storeHubMessage(
            new HubMessage(
                MessageType.ALERT_ESCALATION,
                null,
                null,
                payload,
                ESCALATE_TO,
                List.of("A1"),
                List.of(),
                "escalation-" + incidentId),
            now);
    jdbc.update(
        "UPDATE incident SET escalation_message_id = ? WHERE incident_id = ?",
        messageId,
        incidentId);
    audit.record(
        new AuditTrail.Entry(
            AuditTrail.Kind.ALERT_ESCALATED,
            AuditTrail.HUB,
            messageId,
            null,
            null,
            "incidentId=" + incidentId + " to=" + String.join(",", ESCALATE_TO)));
    return true;
  }
}
