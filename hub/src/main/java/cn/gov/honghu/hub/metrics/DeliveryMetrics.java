package cn.gov.honghu.hub.metrics;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.metrics.DeliveryBacklog.Backlog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The delivery backlog as Prometheus sees it (HUB-SPEC section 9, "a stalled recipient is
 * visible"): per agency {@code hub.delivery.pending} (deliveries not yet taken: queued, and for a
 * pull agency also handed out but not acknowledged), {@code hub.delivery.failed} (the failed
 * store), {@code hub.delivery.stalled} (1 past {@code hub.delivery.stalled-after}) and {@code
 * hub.delivery.oldest.unacknowledged.age} (seconds since the oldest of them was created, 0 when
 * none); for the broker relay {@code hub.outbox.size} and {@code hub.outbox.lag} (seconds since the
 * oldest outbox row was written, 0 when empty). The counters {@code hub.delivery.pulled} and {@code
 * hub.delivery.acknowledged} count inbox hand-outs and first acknowledgements per agency.
 *
 * <p>Important: the gauges are computed from the database on scrape, through a {@link ScrapeCache}
 * of {@code ttl}, so a scrape storm costs one pair of queries per period. When the database cannot
 * answer, the gauges read NaN for that period instead of retrying on every gauge of every scrape.
 * Deliveries to a recipient the configuration no longer names are not shown.
 */
public final class DeliveryMetrics {

  public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(DeliveryMetrics.class);

  /** What one scrape period shows; {@code available} is false when the database did not answer. */
  record Snapshot(
      boolean available, Map<String, Backlog> byAgency, long outboxSize, Instant oldestOutbox) {

    static final Snapshot UNAVAILABLE = new Snapshot(false, Map.of(), 0, null);
  }

  private static final Backlog NONE = Backlog.NONE;

  private final JdbcTemplate jdbc;
  private final DeliveryBacklog backlog;
  private final MeterRegistry registry;
  private final Clock clock;
  private final ScrapeCache<Snapshot> snapshot;
  private final Map<String, Counter> pulled = new ConcurrentHashMap<>();
  private final Map<String, Counter> acknowledged = new ConcurrentHashMap<>();

  public DeliveryMetrics(
      JdbcTemplate jdbc,
      DeliveryBacklog backlog,
      MeterRegistry registry,
      Collection<Agency> agencies,
      Clock clock,
      Duration ttl) {
    this.jdbc = jdbc;
    this.backlog = backlog;
    this.registry = registry;
    this.clock = clock;
    this.snapshot = new ScrapeCache<>(this::load, clock, ttl);
    for (Agency agency : agencies) {
      String code = agency.code();
      Gauge.builder("hub.delivery.pending", this, m -> m.pending(code))
          .description("Deliveries not yet acknowledged (queued or handed out)")
          .tag("agency", code)
          .register(registry);
      Gauge.builder("hub.delivery.failed", this, m -> m.failed(code))
          .description("Deliveries in the failed store, waiting for an admin's replay or discard")
          .tag("agency", code)
          .register(registry);
      Gauge.builder("hub.delivery.stalled", this, m -> m.stalled(code))
          .description(
              "1 when the oldest pending delivery is older than hub.delivery.stalled-after")
          .tag("agency", code)
          .register(registry);
      Gauge.builder("hub.delivery.oldest.unacknowledged.age", this, m -> m.oldestAge(code))
          .description("Age of the agency's oldest unacknowledged delivery, 0 when none")
          .tag("agency", code)
          .baseUnit("seconds")
          .register(registry);
      pulled.put(code, pulledCounter(code));
      acknowledged.put(code, acknowledgedCounter(code));
    }
    Gauge.builder("hub.outbox.size", this, DeliveryMetrics::outboxSize)
        .description("Push deliveries waiting for the relay to the broker")
        .register(registry);
    Gauge.builder("hub.outbox.lag", this, DeliveryMetrics::outboxLag)
        .description("Age of the oldest outbox row, 0 when the outbox is empty")
        .baseUnit("seconds")
        .register(registry);
  }

  /** Counts deliveries handed out by one pull (after its transaction committed). */
  public void pulled(String agency, int deliveries) {
    if (deliveries > 0) {
      pulled.computeIfAbsent(agency, this::pulledCounter).increment(deliveries);
    }
  }

  /** Counts deliveries acknowledged for the first time (repeated acknowledgements are not). */
  public void acknowledged(String agency, int deliveries) {
    if (deliveries > 0) {
      acknowledged.computeIfAbsent(agency, this::acknowledgedCounter).increment(deliveries);
    }
  }

  /** Drops the cached snapshot, so that the next scrape reads the database. */
  public void invalidate() {
    snapshot.invalidate();
  }

  double pending(String agency) {
    Snapshot now = snapshot.get();
    return now.available() ? now.byAgency().getOrDefault(agency, NONE).pending() : Double.NaN;
  }

  double failed(String agency) {
    Snapshot now = snapshot.get();
    return now.available() ? now.byAgency().getOrDefault(agency, NONE).failed() : Double.NaN;
  }

  double stalled(String agency) {
    Snapshot now = snapshot.get();
    if (!now.available()) {
      return Double.NaN;
    }
    return backlog.isStalled(now.byAgency().getOrDefault(agency, NONE)) ? 1 : 0;
  }

  double oldestAge(String agency) {
    Snapshot now = snapshot.get();
    return now.available() ? ageOf(now.byAgency().getOrDefault(agency, NONE).oldest()) : Double.NaN;
  }

  double outboxSize() {
    Snapshot now = snapshot.get();
    return now.available() ? now.outboxSize() : Double.NaN;
  }

  double outboxLag() {
    Snapshot now = snapshot.get();
    return now.available() ? ageOf(now.oldestOutbox()) : Double.NaN;
  }

  /** Seconds (with milliseconds) since {@code since} on the hub's clock; 0 for none or future. */
  private double ageOf(Instant since) {
    if (since == null) {
      return 0;
    }
    long millis = Duration.between(since, clock.instant()).toMillis();
    return Math.max(0, millis) / 1000.0;
  }

  private Snapshot load() {
    try {
      Map<String, Backlog> byAgency = backlog.byAgency();
      return jdbc.queryForObject(
          "SELECT COUNT(*), MIN(created_at) FROM outbox",
          (rs, i) -> new Snapshot(true, byAgency, rs.getLong(1), instant(rs.getTimestamp(2))));
    } catch (DataAccessException e) {
      // By class only: a database message may quote values.
      log.warn("Delivery metrics unavailable: {}", e.getClass().getSimpleName());
      return Snapshot.UNAVAILABLE;
    }
  }

  private static Instant instant(Timestamp at) {
    return at == null ? null : at.toInstant();
  }

  private Counter pulledCounter(String agency) {
    return Counter.builder("hub.delivery.pulled")
        .description("Deliveries handed out by the pull inbox (a re-delivery counts again)")
        .tag("agency", agency)
        .register(registry);
  }

  private Counter acknowledgedCounter(String agency) {
    return Counter.builder("hub.delivery.acknowledged")
        .description("Deliveries acknowledged by their recipient (counted once each)")
        .tag("agency", agency)
        .register(registry);
  }
}
