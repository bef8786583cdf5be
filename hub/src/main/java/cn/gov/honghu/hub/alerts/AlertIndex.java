package cn.gov.honghu.hub.alerts;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Fishing-ban alerts and their incidents (HUB-SPEC section 8). A report joins an open incident of
 * the same water area and kind when it lies within the correlation distance of any report of the
 * incident (great-circle, inclusive) and its {@code observedAt} is within the correlation window of
 * the incident's latest report (inclusive); near two incidents it joins the nearest. Otherwise it
 * opens a new incident. An incident closes on an {@code ALERT_ACK} with action {@code CLOSED}, or
 * when its window passes without a new report.
 *
 * <p>Important: correlation runs in the accepting transaction under a row lock per water area, so
 * two reports of one event posted at the same moment join one incident instead of opening two.
 */
public final class AlertIndex {

  /**
   * An accepted alert: who raised it, who received it, and who opened its incident ({@code
   * originator}, the sender of the incident's first report).
   */
  public record AlertView(
      String messageId,
      String alertId,
      String incidentId,
      String sender,
      List<String> recipients,
      String originator) {

    /** Who may close the incident (HUB-SPEC section 8): its originator and its recipients. */
    public boolean mayClose(String agency) {
      return agency.equals(originator) || recipients.contains(agency);
    }
  }

  /** Where a new report went: its incident, and whether it updates an incident already known. */
  public record Correlation(String incidentId, boolean update) {}

  /** A report as correlation sees it. */
  record Report(String incidentId, double lat, double lon) {}

  static final double ROUNDING_M = 1e-6;

  private final JdbcTemplate jdbc;
  private final double distanceM;
  private final Duration window;
  private final Duration escalateAfter;

  public AlertIndex(JdbcTemplate jdbc, double distanceM, Duration window, Duration escalateAfter) {
    this.jdbc = jdbc;
    this.distanceM = distanceM;
    this.window = window;
    this.escalateAfter = escalateAfter;
  }

  /** The latest alert with this alertId, or the first report of this incident. */
  public Optional<AlertView> find(String alertId, String incidentId) {
    List<String[]> rows =
        jdbc.query(
            "SELECT a.message_id, a.alert_id, a.incident_id, a.sender, i.originator FROM alert a"
                + " JOIN hub_message m ON m.message_id = a.message_id"
                + " JOIN incident i ON i.incident_id = a.incident_id"
                + " WHERE (a.alert_id = ? OR a.incident_id = ?) ORDER BY m.accept_seq DESC",
            (rs, i) ->
                new String[] {
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5)
                },
            alertId,
            incidentId);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    String[] row = rows.get(0);
    return Optional.of(new AlertView(row[0], row[1], row[2], row[3], recipients(row[2]), row[4]));
  }

  /** Every agency that received a report of the incident. */
  public List<String> recipients(String incidentId) {
    return jdbc.queryForList(
        "SELECT DISTINCT d.recipient FROM delivery d JOIN alert a ON a.message_id = d.message_id"
            + " WHERE a.incident_id = ? ORDER BY d.recipient",
        String.class,
        incidentId);
  }

  /**
   * Records an accepted report and correlates it; call in the accepting transaction. Returns its
   * incident, and whether the report is an update of an incident that existed before it.
   */
  public Correlation record(String messageId, JsonNode payload, String sender, Instant acceptedAt) {
    String waterArea = text(payload, "waterArea");
    String kind = text(payload, "kind");
    double lat = payload.path("lat").asDouble();
    double lon = payload.path("lon").asDouble();
    Instant observedAt = instant(text(payload, "observedAt")).orElse(acceptedAt);
    lockWaterArea(waterArea);
    Optional<String> joined = nearestOpenIncident(waterArea, kind, lat, lon, observedAt);
    String incidentId = joined.orElseGet(() -> UUID.randomUUID().toString());
    if (joined.isPresent()) {
      jdbc.update(
          "UPDATE incident SET last_observed_at = ? WHERE incident_id = ? AND last_observed_at < ?",
          Timestamp.from(observedAt),
          incidentId,
          Timestamp.from(observedAt));
    } else {
      jdbc.update(
          "INSERT INTO incident (incident_id, water_area, kind, originator, first_message_id,"
              + " opened_at, last_observed_at, escalate_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          incidentId,
          waterArea,
          kind,
          sender,
          messageId,
          Timestamp.from(acceptedAt),
          Timestamp.from(observedAt),
          Timestamp.from(acceptedAt.plus(escalateAfter)));
    }
    jdbc.update(
        "INSERT INTO alert (message_id, alert_id, incident_id, sender, water_area, kind, lat, lon,"
            + " observed_at, is_update) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        messageId,
        text(payload, "alertId"),
        incidentId,
        sender,
        waterArea,
        kind,
        lat,
        lon,
        Timestamp.from(observedAt),
        joined.isPresent());
    return new Correlation(incidentId, joined.isPresent());
  }

  /**
   * Records an {@code ALERT_ACK} on its incident; call in the accepting transaction. An ack by a
   * recipient counts against escalation; {@code CLOSED} closes the incident.
   */
  public void acknowledge(
      AlertView alert, String agency, String action, String messageId, Instant at) {
    jdbc.update(
        "INSERT INTO incident_ack (incident_id, agency, action, message_id, at) VALUES (?, ?, ?, ?, ?)",
        alert.incidentId(),
        agency,
        action,
        messageId,
        Timestamp.from(at));
    if (alert.recipients().contains(agency)) {
      jdbc.update(
          "UPDATE incident SET acknowledged_at = ? WHERE incident_id = ? AND acknowledged_at IS NULL",
          Timestamp.from(at),
          alert.incidentId());
    }
    if ("CLOSED".equals(action)) {
      jdbc.update(
          "UPDATE incident SET closed_at = ?, closed_by = ? WHERE incident_id = ? AND closed_at IS NULL",
          Timestamp.from(at),
          messageId,
          alert.incidentId());
    }
  }

  /** The open incident the report joins, if any: the nearest among those in range. */
  private Optional<String> nearestOpenIncident(
      String waterArea, String kind, double lat, double lon, Instant observedAt) {
    List<Report> reports =
        jdbc.query(
            "SELECT a.incident_id, a.lat, a.lon FROM incident i"
                + " JOIN alert a ON a.incident_id = i.incident_id"
                + " WHERE i.water_area = ? AND i.kind = ? AND i.closed_at IS NULL"
                + " AND i.last_observed_at >= ? AND i.last_observed_at <= ?",
            (rs, n) -> new Report(rs.getString(1), rs.getDouble(2), rs.getDouble(3)),
            waterArea,
            kind,
            Timestamp.from(observedAt.minus(window)),
            Timestamp.from(observedAt.plus(window)));
    return nearest(reports, lat, lon, distanceM);
  }

  /** The incident with the report nearest to the position, within {@code distanceM} inclusive. */
  static Optional<String> nearest(List<Report> reports, double lat, double lon, double distanceM) {
    Map<String, Double> closest = new HashMap<>();
    for (Report report : reports) {
      double distance = GreatCircle.distanceMeters(lat, lon, report.lat(), report.lon());
      // Inclusive, with a micrometre for the rounding of the trigonometry: a report placed at
      // exactly the distance must not fall out by 1e-10 m.
      if (distance <= distanceM + ROUNDING_M) {
        closest.merge(report.incidentId(), distance, Math::min);
      }
    }
    return closest.entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
  }

  private void lockWaterArea(String waterArea) {
    jdbc.update(
        "INSERT INTO water_area_lock (water_area) VALUES (?) ON CONFLICT DO NOTHING", waterArea);
    jdbc.queryForObject(
        "SELECT water_area FROM water_area_lock WHERE water_area = ? FOR UPDATE",
        String.class,
        waterArea);
  }

  private static Optional<Instant> instant(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
