package cn.gov.honghu.hub.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Incident views (HUB-SPEC section 8, issue "incident views"): each incident with its reports,
 * recipients, acknowledgements, escalation and position. An incident is {@code OPEN} until an
 * {@code ALERT_ACK} closes it or its correlation window passes without a new report.
 */
public final class Incidents {

  public static final String OPEN = "OPEN";
  public static final String CLOSED = "CLOSED";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Report(
      String messageId,
      String alertId,
      String sender,
      OffsetDateTime observedAt,
      double lat,
      double lon,
      boolean update) {}

  public record Acknowledgement(
      String agency, String action, OffsetDateTime at, String messageId) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Escalation(OffsetDateTime dueAt, OffsetDateTime escalatedAt, String messageId) {}

  public record Position(double lat, double lon) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Incident(
      String incidentId,
      String waterArea,
      String kind,
      String state,
      String originator,
      OffsetDateTime openedAt,
      OffsetDateTime lastObservedAt,
      OffsetDateTime closedAt,
      Position position,
      List<Report> reports,
      List<String> recipients,
      List<Acknowledgement> acknowledgements,
      Escalation escalation) {}

  private record Row(
      String incidentId,
      String waterArea,
      String kind,
      String originator,
      Instant openedAt,
      Instant lastObservedAt,
      Instant escalateAt,
      Instant escalatedAt,
      String escalationMessageId,
      Instant closedAt) {}

  private final JdbcTemplate jdbc;
  private final AlertIndex alerts;
  private final Duration window;
  private final Clock clock;
  private final ZoneId zone;

  public Incidents(
      JdbcTemplate jdbc, AlertIndex alerts, Duration window, Clock clock, ZoneId zone) {
    this.jdbc = jdbc;
    this.alerts = alerts;
    this.window = window;
    this.clock = clock;
    this.zone = zone;
  }

  /**
   * A page of incidents, newest first. {@code visibleTo}: null for admins; otherwise the incidents
   * in those water areas or that the agency raised or received.
   */
  public List<Incident> list(
      String agency,
      Collection<String> waterAreas,
      String waterArea,
      String state,
      int page,
      int size) {
    List<Object> args = new ArrayList<>();
    String where = where(agency, waterAreas, waterArea, state, args);
    args.add(size);
    args.add((long) page * size);
    return jdbc
        .query(
            "SELECT incident_id, water_area, kind, originator, opened_at, last_observed_at,"
                + " escalate_at, escalated_at, escalation_message_id, closed_at FROM incident i"
                + where
                + " ORDER BY opened_at DESC, incident_id LIMIT ? OFFSET ?",
            (rs, n) ->
                new Row(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    instant(rs.getTimestamp(5)),
                    instant(rs.getTimestamp(6)),
                    instant(rs.getTimestamp(7)),
                    instant(rs.getTimestamp(8)),
                    rs.getString(9),
                    instant(rs.getTimestamp(10))),
            args.toArray())
        .stream()
        .map(this::incident)
        .toList();
  }

  public long count(String agency, Collection<String> waterAreas, String waterArea, String state) {
    List<Object> args = new ArrayList<>();
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM incident i" + where(agency, waterAreas, waterArea, state, args),
            Long.class,
            args.toArray());
    return count == null ? 0 : count;
  }

  private String where(
      String agency,
      Collection<String> waterAreas,
      String waterArea,
      String state,
      List<Object> args) {
    List<String> terms = new ArrayList<>();
    if (agency != null) {
      StringBuilder visible = new StringBuilder("(i.originator = ?");
      args.add(agency);
      for (String area : waterAreas) {
        visible.append(" OR i.water_area = ?");
        args.add(area);
      }
      visible.append(
          " OR EXISTS (SELECT 1 FROM alert a JOIN delivery d ON d.message_id = a.message_id"
              + " WHERE a.incident_id = i.incident_id AND d.recipient = ?))");
      args.add(agency);
      terms.add(visible.toString());
    }
    if (waterArea != null) {
      terms.add("i.water_area = ?");
      args.add(waterArea);
    }
    Timestamp windowStart = Timestamp.from(clock.instant().minus(window));
    if (OPEN.equals(state)) {
      terms.add("i.closed_at IS NULL AND i.last_observed_at >= ?");
      args.add(windowStart);
    } else if (CLOSED.equals(state)) {
      terms.add("(i.closed_at IS NOT NULL OR i.last_observed_at < ?)");
      args.add(windowStart);
    }
    return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
  }

  private Incident incident(Row row) {
    List<Report> reports =
        jdbc.query(
            "SELECT message_id, alert_id, sender, observed_at, lat, lon, is_update FROM alert"
                + " WHERE incident_id = ? ORDER BY observed_at, message_id",
            (rs, n) ->
                new Report(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    at(instant(rs.getTimestamp(4))),
                    rs.getDouble(5),
                    rs.getDouble(6),
                    rs.getBoolean(7)),
            row.incidentId());
    List<Acknowledgement> acks =
        jdbc.query(
            "SELECT agency, action, at, message_id FROM incident_ack WHERE incident_id = ?"
                + " ORDER BY id",
            (rs, n) ->
                new Acknowledgement(
                    rs.getString(1),
                    rs.getString(2),
                    at(instant(rs.getTimestamp(3))),
                    rs.getString(4)),
            row.incidentId());
    boolean closed =
        row.closedAt() != null || row.lastObservedAt().plus(window).isBefore(clock.instant());
    Report first = reports.isEmpty() ? null : reports.get(0);
    return new Incident(
        row.incidentId(),
        row.waterArea(),
        row.kind(),
        closed ? CLOSED : OPEN,
        row.originator(),
        at(row.openedAt()),
        at(row.lastObservedAt()),
        at(row.closedAt()),
        first == null ? null : new Position(first.lat(), first.lon()),
        reports,
        alerts.recipients(row.incidentId()),
        acks,
        new Escalation(at(row.escalateAt()), at(row.escalatedAt()), row.escalationMessageId()));
  }

  private OffsetDateTime at(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, zone);
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
