package cn.gov.honghu.hub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retention job as Prometheus sees it (HUB-SPEC section 11): {@code hub.retention.purged}
 * counts what each run removed by {@code what} ({@code deliveries}, {@code attempts}, {@code
 * events}, {@code personal_data}: envelopes whose party fields were replaced), and {@code
 * hub.retention.last.run.timestamp} is the time this instance last finished a run (0 before its
 * first). With several instances only the one that ran moves it: alert on the maximum over
 * instances.
 */
public final class RetentionMetrics {

  /** The {@code what} tag values. */
  public enum What {
    DELIVERIES,
    ATTEMPTS,
    EVENTS,
    PERSONAL_DATA
  }

  private final Map<What, Counter> purged = new ConcurrentHashMap<>();
  private final AtomicLong lastRunMillis = new AtomicLong();

  public RetentionMetrics(MeterRegistry registry) {
    for (What what : What.values()) {
      purged.put(
          what,
          Counter.builder("hub.retention.purged")
              .description("Rows removed by the retention job (personal_data: envelopes cleared)")
              .tag("what", what.name().toLowerCase(java.util.Locale.ROOT))
              .register(registry));
    }
    Gauge.builder(
            "hub.retention.last.run.timestamp", lastRunMillis, millis -> millis.get() / 1000.0)
        .description("When this instance last finished a retention run, Unix time; 0 before")
        .baseUnit("seconds")
        .register(registry);
  }

  public void purged(What what, long count) {
    if (count > 0) {
      purged.get(what).increment(count);
    }
  }

  public void ran(Instant finishedAt) {
    lastRunMillis.set(finishedAt.toEpochMilli());
  }
}
