package cn.gov.honghu.hub.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One instance at a time for a periodic duty, over a row of table {@code duty_lock}: a lease taken
 * and renewed with conditional updates, each committed at once.
 *
 * <p>Important: no transaction stays open while the duty runs. A row lock held for the whole run
 * would pin PostgreSQL's oldest snapshot for minutes (vacuum could not reclaim the rows the duty
 * deletes) and a crashed holder would keep it until its connection died; a lease runs out instead,
 * {@code lease} after the holder's last renewal. A holder renews between its small transactions and
 * stops when a renewal finds the lease taken over.
 */
final class DutyLock {

  /** The duty row as read before a claim. */
  record State(Instant lastStartedAt, Instant leaseUntil) {}

  private final JdbcTemplate jdbc;
  private final String duty;
  private final String holder;
  private final Duration lease;
  private final Clock clock;

  DutyLock(JdbcTemplate jdbc, String duty, String holder, Duration lease, Clock clock) {
    this.jdbc = jdbc;
    this.duty = duty;
    this.holder = holder;
    this.lease = lease;
    this.clock = clock;
  }

  Optional<State> read() {
    List<State> rows =
        jdbc.query(
            "SELECT last_started_at, lease_until FROM duty_lock WHERE duty = ?",
            (rs, i) -> new State(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))),
            duty);
    return rows.stream().findFirst();
  }

  /**
   * Takes the lease if nobody holds it; with {@code slot} only if the last start is still {@code
   * slot.lastStartedAt()}, so that of several instances whose schedules fired together one runs.
   */
  boolean claim(Optional<State> slot) {
    Instant now = clock.instant();
    String sql =
        "UPDATE duty_lock SET holder = ?, lease_until = ?, last_started_at = ?"
            + " WHERE duty = ? AND (lease_until IS NULL OR lease_until < ?)";
    if (slot.isEmpty()) {
      return jdbc.update(sql, holder, ts(now.plus(lease)), ts(now), duty, ts(now)) == 1;
    }
    Instant last = slot.get().lastStartedAt();
    if (last == null) {
      return jdbc.update(
              sql + " AND last_started_at IS NULL",
              holder,
              ts(now.plus(lease)),
              ts(now),
              duty,
              ts(now))
          == 1;
    }
    return jdbc.update(
            sql + " AND last_started_at = ?",
            holder,
            ts(now.plus(lease)),
            ts(now),
            duty,
            ts(now),
            ts(last))
        == 1;
  }

  /** Extends the lease; false when this instance no longer holds it. */
  boolean renew() {
    Instant now = clock.instant();
    return jdbc.update(
            "UPDATE duty_lock SET lease_until = ? WHERE duty = ? AND holder = ?",
            ts(now.plus(lease)),
            duty,
            holder)
        == 1;
  }

  void release() {
    jdbc.update(
        "UPDATE duty_lock SET holder = NULL, lease_until = NULL, last_finished_at = ?"
            + " WHERE duty = ? AND holder = ?",
        ts(clock.instant()),
        duty,
        holder);
  }

  private static Timestamp ts(Instant instant) {
    return Timestamp.from(instant);
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
