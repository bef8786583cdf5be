package cn.gov.honghu.hub.metrics;

import cn.gov.honghu.hub.agency.Agency;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What each recipient has not yet taken (HUB-SPEC section 9, "a stalled recipient is visible"):
 * deliveries still queued, and for pull agencies also those handed out but not acknowledged; the
 * age of the oldest of them; and the failed ones. A recipient is stalled when its oldest pending
 * delivery is older than {@code hub.delivery.stalled-after}. Metrics, admin stats and health read
 * it.
 */
public final class DeliveryBacklog {

  /** One agency's backlog; {@code oldest} is null when nothing is pending. */
  public record Backlog(long pending, Instant oldest, long failed) {

    public static final Backlog NONE = new Backlog(0, null, 0);

    /** Seconds since the oldest pending delivery was created; 0 when none. */
    public double oldestAgeSeconds(Instant now) {
      return oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis()) / 1000.0;
    }
  }

  private final JdbcTemplate jdbc;
  private final Duration stalledAfter;
  private final Clock clock;
  private final String query;
  private final Object[] args;

  public DeliveryBacklog(
      JdbcTemplate jdbc, Collection<Agency> agencies, Duration stalledAfter, Clock clock) {
    this.jdbc = jdbc;
    this.stalledAfter = stalledAfter;
    this.clock = clock;
    // One range of delivery_inbox (recipient, state, ...) per agency and waiting state, never the
    // finished history: a grouped query over state IN (...) reads every row of every state on H2,
    // and a push agency's DELIVERED rows are its whole history (they are final for it).
    List<String> branches = new ArrayList<>();
    List<Object> queryArgs = new ArrayList<>();
    for (Agency agency : agencies) {
      List<String> states = new ArrayList<>(List.of("QUEUED", "FAILED"));
      if (agency.usesInbox()) {
        states.add("DELIVERED"); // a pull agency's DELIVERED still waits for its ack
      }
      for (String state : states) {
        branches.add(
            "SELECT recipient, state, COUNT(*), MIN(created_at) FROM delivery"
                + " WHERE recipient = ? AND state = ? GROUP BY recipient, state");
        queryArgs.add(agency.code());
        queryArgs.add(state);
      }
    }
    this.query = String.join(" UNION ALL ", branches);
    this.args = queryArgs.toArray();
  }

  /** Every recipient's backlog, one index range per agency and waiting state. */
  public Map<String, Backlog> byAgency() {
    Map<String, long[]> counts = new HashMap<>();
    Map<String, Instant> oldest = new HashMap<>();
    if (args.length == 0) {
      return Map.of();
    }
    jdbc.query(
        query,
        rs -> {
          String agency = rs.getString(1);
          long count = rs.getLong(3);
          Timestamp first = rs.getTimestamp(4);
          long[] agencyCounts = counts.computeIfAbsent(agency, k -> new long[2]);
          if ("FAILED".equals(rs.getString(2))) {
            agencyCounts[1] += count;
            return;
          }
          agencyCounts[0] += count;
          if (first != null) {
            oldest.merge(agency, first.toInstant(), (a, b) -> a.isBefore(b) ? a : b);
          }
        },
        args);
    Map<String, Backlog> backlog = new HashMap<>();
    counts.forEach((agency, c) -> backlog.put(agency, new Backlog(c[0], oldest.get(agency), c[1])));
    return backlog;
  }

  public boolean isStalled(Backlog backlog) {
    return backlog.oldest() != null
        && Duration.between(backlog.oldest(), clock.instant()).compareTo(stalledAfter) > 0;
  }

  public Duration stalledAfter() {
    return stalledAfter;
  }
}
