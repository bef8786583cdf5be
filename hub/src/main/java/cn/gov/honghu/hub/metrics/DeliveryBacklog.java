package cn.gov.honghu.hub.metrics;

import cn.gov.honghu.hub.agency.Agency;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
  private final Set<String> pullAgencies;
  private final Duration stalledAfter;
  private final Clock clock;

  public DeliveryBacklog(
      JdbcTemplate jdbc, Collection<Agency> agencies, Duration stalledAfter, Clock clock) {
    this.jdbc = jdbc;
    this.pullAgencies =
        agencies.stream().filter(Agency::usesInbox).map(Agency::code).collect(Collectors.toSet());
    this.stalledAfter = stalledAfter;
    this.clock = clock;
  }

  /** Every recipient's backlog, from one grouped query. */
  public Map<String, Backlog> byAgency() {
    Map<String, long[]> counts = new HashMap<>();
    Map<String, Instant> oldest = new HashMap<>();
    jdbc.query(
        "SELECT recipient, state, COUNT(*), MIN(created_at) FROM delivery"
            + " WHERE state IN ('QUEUED', 'DELIVERED', 'FAILED') GROUP BY recipient, state",
        rs -> {
          String agency = rs.getString(1);
          String state = rs.getString(2);
          long count = rs.getLong(3);
          Timestamp first = rs.getTimestamp(4);
          long[] agencyCounts = counts.computeIfAbsent(agency, k -> new long[2]);
          if ("FAILED".equals(state)) {
            agencyCounts[1] += count;
            return;
          }
          // A push agency's DELIVERED is done; a pull agency's still waits for its ack.
          if ("QUEUED".equals(state) || pullAgencies.contains(agency)) {
            agencyCounts[0] += count;
            if (first != null) {
              oldest.merge(agency, first.toInstant(), (a, b) -> a.isBefore(b) ? a : b);
            }
          }
        });
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
