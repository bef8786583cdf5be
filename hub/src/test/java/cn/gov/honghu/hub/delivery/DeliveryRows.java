package cn.gov.honghu.hub.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Messages and deliveries written straight into an embedded H2 database with the hub's migrations,
 * for tests of the delivery queries without the rest of the hub.
 */
final class DeliveryRows {

  private final JdbcTemplate jdbc;

  DeliveryRows(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** A fresh in-memory database, migrated as the hub's embedded default is. */
  static DataSource migratedH2(String name) {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(
        "jdbc:h2:mem:"
            + name
            + "-"
            + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";DB_CLOSE_DELAY=-1");
    Flyway.configure()
        .dataSource(h2)
        .locations("classpath:db/migration", "classpath:db/vendor/h2")
        .load()
        .migrate();
    return h2;
  }

  /** One message of a case with one delivery to {@code recipient}; returns the deliveryId. */
  String delivery(
      String recipient, String caseKey, Integer sequence, int priority, String state, Instant at) {
    String messageId = UUID.randomUUID().toString();
    String deliveryId = UUID.randomUUID().toString();
    Timestamp now = Timestamp.from(at);
    jdbc.update(
        "INSERT INTO hub_message (message_id, type, sender, case_key, case_number,"
            + " business_key_sha256, receipt_id, receipt, envelope, accepted_at)"
            + " VALUES (?, ?, 'procuratorate', ?, ?, ?, ?, '{}', '{}', ?)",
        messageId,
        priority == 1 ? "FISHING_BAN_ALERT" : "PROCURATORIAL_SUGGESTION",
        caseKey,
        caseKey,
        UUID.randomUUID().toString().replace("-", "") + "0".repeat(32),
        UUID.randomUUID().toString(),
        now);
    jdbc.update(
        "INSERT INTO delivery (delivery_id, message_id, recipient, case_key, sequence, priority,"
            + " state, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        deliveryId,
        messageId,
        recipient,
        caseKey,
        sequence,
        priority,
        state,
        now,
        "QUEUED".equals(state) ? now : null);
    return deliveryId;
  }

  /**
   * {@code count} finished deliveries to {@code recipient} in {@code state}, each of its own
   * message, in two statements (H2's SYSTEM_RANGE): the history a long-running hub has behind its
   * backlog.
   */
  void history(String recipient, String state, int count, Instant at) {
    String prefix = UUID.randomUUID().toString().substring(0, 8);
    jdbc.update(
        "INSERT INTO hub_message (message_id, type, sender, business_key_sha256, receipt_id,"
            + " receipt, envelope, accepted_at) SELECT ? || '-' || x, 'PROCURATORIAL_SUGGESTION',"
            + " 'procuratorate', ? || LPAD(CAST(x AS VARCHAR), 56, '0'), 'r', '{}', '{}', ?"
            + " FROM SYSTEM_RANGE(1, ?) r(x)",
        prefix,
        prefix,
        Timestamp.from(at),
        count);
    jdbc.update(
        "INSERT INTO delivery (delivery_id, message_id, recipient, priority, state, created_at)"
            + " SELECT CAST(RANDOM_UUID() AS VARCHAR), ? || '-' || x, ?, MOD(x, 2), ?, ?"
            + " FROM SYSTEM_RANGE(1, ?) r(x)",
        prefix,
        recipient,
        state,
        Timestamp.from(at),
        count);
  }
}
