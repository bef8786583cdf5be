package cn.gov.honghu.hub.alerts;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Accepted fishing-ban alerts and their incidents. For now every alert opens its own incident;
 * correlation of reports into one incident (HUB-SPEC section 8) comes with the alerts feature.
 */
public final class AlertIndex {

  /** An accepted alert: who raised it and who received it. */
  public record AlertView(
      String messageId,
      String alertId,
      String incidentId,
      String sender,
      List<String> recipients) {}

  private final JdbcTemplate jdbc;

  public AlertIndex(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The latest alert with this alertId, or the first report of this incident. */
  public Optional<AlertView> find(String alertId, String incidentId) {
    List<String[]> rows =
        jdbc.query(
            "SELECT a.message_id, a.alert_id, a.incident_id, a.sender FROM alert a"
                + " JOIN hub_message m ON m.message_id = a.message_id"
                + " WHERE (a.alert_id = ? OR a.incident_id = ?) ORDER BY m.accept_seq DESC",
            (rs, i) ->
                new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)},
            alertId,
            incidentId);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    String[] row = rows.get(0);
    List<String> recipients =
        jdbc.queryForList(
            "SELECT DISTINCT d.recipient FROM delivery d JOIN alert a ON a.message_id = d.message_id"
                + " WHERE a.incident_id = ?",
            String.class,
            row[2]);
    return Optional.of(new AlertView(row[0], row[1], row[2], row[3], recipients));
  }

  /** Records an accepted alert; returns its incident id. Call in the accepting transaction. */
  public String record(String messageId, String alertId, String sender, String waterArea) {
    String incidentId = UUID.randomUUID().toString();
    jdbc.update(
        "INSERT INTO alert (message_id, alert_id, incident_id, sender, water_area) VALUES (?, ?, ?, ?, ?)",
        messageId,
        alertId,
        incidentId,
        sender,
        waterArea);
    return incidentId;
  }
}
