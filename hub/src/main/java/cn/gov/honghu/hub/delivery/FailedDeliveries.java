package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import cn.gov.honghu.hub.store.StatCounters;
import cn.gov.honghu.hub.web.Cursor;
import cn.gov.honghu.hub.web.Keyed;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The failed store (HUB-SPEC section 9): push deliveries that used up their attempts or were
 * refused (webhook), or that the broker dead-lettered (jms, {@link DeadLetters}), kept with every
 * attempt until an admin replays or discards them. A replay puts the same row (same {@code
 * deliveryId} and {@code sequence}) back in the queue with a fresh attempt budget; a conditional
 * update ({@code WHERE state = 'FAILED'}) makes replaying twice, or while a replay is in flight, a
 * no-op rather than a second delivery.
 */
public final class FailedDeliveries {

  /** The list filters: each null when not given. */
  public record Filter(String agency, String type, String error, Instant from, Instant to) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Failed(
      String id,
      String messageId,
      String agency,
      String type,
      String caseNumber,
      Integer sequence,
      int attempts,
      String lastError,
      OffsetDateTime failedAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AttemptView(
      int attempt,
      OffsetDateTime at,
      String outcome,
      Integer status,
      String error,
      String excerpt) {}

  /** One failed delivery with its message as accepted and every attempt. */
  public record Detail(Failed delivery, @JsonRawValue String message, List<AttemptView> attempts) {}

  private static final String FAILED_COLUMNS =
      "d.delivery_id, d.message_id, d.recipient, m.type, m.case_number, d.sequence, d.attempts,"
          + " d.last_error, d.failed_at";

  private static final String FROM =
      " FROM delivery d JOIN hub_message m ON m.message_id = d.message_id WHERE d.state = 'FAILED'";

  private final EnvelopeCipher cipher;
  private final AuditTrail audit;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final EventLog events;
  private final Clock clock;
  private final ZoneId zone;
  private final Set<String> queueConsumers;
  private final StatCounters counters;

  /** {@code queueConsumers}: the agencies in delivery mode jms, whose replays go to the outbox. */
  public FailedDeliveries(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      EventLog events,
      EnvelopeCipher cipher,
      AuditTrail audit,
      Clock clock,
      ZoneId zone,
      Set<String> queueConsumers) {
    this.cipher = cipher;
    this.audit = audit;
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.events = events;
    this.clock = clock;
    this.zone = zone;
    this.queueConsumers = Set.copyOf(queueConsumers);
    this.counters = new StatCounters(jdbc);
  }

  /**
   * A page of failed deliveries, oldest failure first: after {@code after} (read from {@code
   * delivery_failed (state, failed_at)} from that point on) or at an offset; the cursor of the last
   * item when the page is full.
   */
  public Keyed<Failed> list(Filter filter, Cursor after, int page, int size) {
    List<Object> args = new ArrayList<>();
    String where = where(filter, args);
    if (after != null) {
      where += " AND d.failed_at >= ? AND (d.failed_at > ? OR d.id > ?)";
      args.add(Timestamp.from(after.at()));
      args.add(Timestamp.from(after.at()));
      args.add(after.id());
    }
    args.add(size);
    args.add((long) page * size);
    List<Cursor> positions = new ArrayList<>();
    List<Failed> items =
        jdbc.query(
            "SELECT "
                + FAILED_COLUMNS
                + ", d.id"
                + FROM
                + where
                + " ORDER BY d.failed_at, d.id LIMIT ? OFFSET ?",
            (rs, i) -> {
              positions.add(new Cursor(rs.getTimestamp(9).toInstant(), rs.getLong(10)));
              return failed(rs);
            },
            args.toArray());
    return Keyed.of(items, positions, size);
  }

  public long count(Filter filter) {
    List<Object> args = new ArrayList<>();
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*)" + FROM + where(filter, args), Long.class, args.toArray());
    return count == null ? 0 : count;
  }

  /**
   * One failed delivery with its message opened for {@code admin}: a read of personal data, so it
   * is recorded in the audit chain as {@code PERSONAL_DATA_READ} (HUB-SPEC section 11).
   */
  public Optional<Detail> detail(String deliveryId, String admin) {
    List<Object> args = new ArrayList<>();
    args.add(deliveryId);
    List<Detail> found =
        jdbc.query(
            "SELECT " + FAILED_COLUMNS + ", m.envelope" + FROM + " AND d.delivery_id = ?",
            (rs, i) -> {
              Failed failed = failed(rs);
              return new Detail(
                  failed,
                  cipher.open(failed.messageId(), rs.getString(10)),
                  attempts(rs.getString(1)));
            },
            args.toArray());
    found.forEach(
        detail ->
            audit.record(
                new AuditTrail.Entry(
                    AuditTrail.Kind.PERSONAL_DATA_READ,
                    admin,
                    detail.delivery().messageId(),
                    detail.delivery().caseNumber(),
                    detail.delivery().agency(),
                    "view=failed-delivery deliveryId=" + deliveryId)));
    return found.stream().findFirst();
  }

  /**
   * Replays one failed delivery; false when it is not (or no longer) failed. A jms agency's
   * delivery gets an outbox row in the same transaction, so the relay publishes it again (under a
   * duplicate id of its own: {@link OutboxRelay#duplicateId}). {@code detail}: the JSON detail of
   * the {@code REPLAYED} event (the admin's reason), written by the hub.
   */
  public boolean replay(String deliveryId, String admin, String detail) {
    Boolean replayed =
        transaction.execute(
            status -> {
              Timestamp now = Timestamp.from(clock.instant());
              int updated =
                  jdbc.update(
                      "UPDATE delivery SET state = 'QUEUED', next_attempt_at = ?,"
                          + " budget_from = attempts, failed_at = NULL"
                          + " WHERE delivery_id = ? AND state = 'FAILED'",
                      now,
                      deliveryId);
              if (updated != 1) {
                return false;
              }
              String[] row =
                  jdbc.queryForObject(
                      "SELECT message_id, recipient FROM delivery WHERE delivery_id = ?",
                      (rs, i) -> new String[] {rs.getString(1), rs.getString(2)},
                      deliveryId);
              if (queueConsumers.contains(row[1])) {
                jdbc.update(
                    "INSERT INTO outbox (delivery_id, priority, created_at)"
                        + " SELECT d.delivery_id, d.priority, ? FROM delivery d"
                        + " WHERE d.delivery_id = ? AND NOT EXISTS"
                        + " (SELECT 1 FROM outbox o WHERE o.delivery_id = d.delivery_id)",
                    now,
                    deliveryId);
              }
              events.append(new Event(Kind.REPLAYED, admin, row[0], deliveryId, null, detail));
              return true;
            });
    return Boolean.TRUE.equals(replayed);
  }

  /**
   * Replays the given deliveries that are still failed; returns how many were queued again. Inside
   * the caller's transaction they are replayed all or none.
   */
  public int replay(List<String> deliveryIds, String admin, String detail) {
    int queued = 0;
    for (String id : deliveryIds) {
      if (replay(id, admin, detail)) {
        queued++;
      }
    }
    return queued;
  }

  /** The ids of the failed deliveries the filter selects, oldest failure first. */
  public List<String> matching(Filter filter) {
    List<Object> args = new ArrayList<>();
    return jdbc.queryForList(
        "SELECT d.delivery_id" + FROM + where(filter, args) + " ORDER BY d.failed_at, d.id",
        String.class,
        args.toArray());
  }

  /**
   * Discards one failed delivery for good, counted for the stats; false when it is not failed.
   * {@code detail}: the JSON detail of the {@code DISCARDED} event (the admin's reason).
   */
  public boolean discard(String deliveryId, String admin, String detail) {
    return Boolean.TRUE.equals(
        transaction.execute(
            status -> {
              int discarded =
                  jdbc.update(
                      "UPDATE delivery SET state = 'DISCARDED', discarded_at = ?"
                          + " WHERE delivery_id = ? AND state = 'FAILED'",
                      Timestamp.from(clock.instant()),
                      deliveryId);
              if (discarded != 1) {
                return false;
              }
              String recipient =
                  jdbc.queryForObject(
                      "SELECT recipient FROM delivery WHERE delivery_id = ?",
                      String.class,
                      deliveryId);
              counters.countOne(recipient, StatCounters.DISCARDED);
              events.append(
                  new Event(
                      Kind.DISCARDED, admin, messageOf(deliveryId), deliveryId, null, detail));
              return true;
            }));
  }

  /** The state of a delivery, if it exists. */
  public Optional<String> state(String deliveryId) {
    return jdbc
        .queryForList("SELECT state FROM delivery WHERE delivery_id = ?", String.class, deliveryId)
        .stream()
        .findFirst();
  }

  private Failed failed(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Failed(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        (Integer) rs.getObject(6),
        rs.getInt(7),
        rs.getString(8),
        at(rs.getTimestamp(9)));
  }

  private List<AttemptView> attempts(String deliveryId) {
    return jdbc.query(
        "SELECT attempt, at, outcome, status, error, excerpt FROM delivery_attempt"
            + " WHERE delivery_id = ? ORDER BY id",
        (rs, i) ->
            new AttemptView(
                rs.getInt(1),
                at(rs.getTimestamp(2)),
                rs.getString(3),
                (Integer) rs.getObject(4),
                rs.getString(5),
                rs.getString(6)),
        deliveryId);
  }

  private String messageOf(String deliveryId) {
    return jdbc
        .queryForList(
            "SELECT message_id FROM delivery WHERE delivery_id = ?", String.class, deliveryId)
        .stream()
        .findFirst()
        .orElse(null);
  }

  /** The filter as SQL: {@code error} matches the error's text (its class name included). */
  private static String where(Filter filter, List<Object> args) {
    StringBuilder where = new StringBuilder();
    if (filter.agency() != null) {
      where.append(" AND d.recipient = ?");
      args.add(filter.agency());
    }
    if (filter.type() != null) {
      where.append(" AND m.type = ?");
      args.add(filter.type());
    }
    if (filter.error() != null) {
      where.append(" AND LOWER(d.last_error) LIKE ? ESCAPE '\\'");
      String literal =
          filter
              .error()
              .toLowerCase(Locale.ROOT)
              .replace("\\", "\\\\")
              .replace("%", "\\%")
              .replace("_", "\\_");
      args.add("%" + literal + "%");
    }
    if (filter.from() != null) {
      where.append(" AND d.failed_at >= ?");
      args.add(Timestamp.from(filter.from()));
    }
    if (filter.to() != null) {
      where.append(" AND d.failed_at < ?");
      args.add(Timestamp.from(filter.to()));
    }
    return where.toString();
  }

  private OffsetDateTime at(Timestamp timestamp) {
    return timestamp == null ? null : OffsetDateTime.ofInstant(timestamp.toInstant(), zone);
  }
}
