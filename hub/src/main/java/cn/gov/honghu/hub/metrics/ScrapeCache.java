package cn.gov.honghu.hub.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A value loaded at most once per {@code ttl}, on the injected clock. Gauges read through it, so a
 * burst of scrapes (several Prometheus servers, a dashboard refreshing) costs one load per period.
 *
 * <p>Important: {@link #get()} is synchronized, so concurrent scrapes wait for one load instead of
 * each running it. A load that throws is not cached; callers that must not retry on every read (a
 * database that is down) should turn the failure into a value themselves.
 */
final class ScrapeCache<T> {

  private final Supplier<T> loader;
  private final Clock clock;
  private final Duration ttl;
  private T value;
  private Instant loadedAt;

  ScrapeCache(Supplier<T> loader, Clock clock, Duration ttl) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    this.loader = loader;
    this.clock = clock;
    this.ttl = ttl;
  }

  synchronized T get() {
    Instant now = clock.instant();
    // A clock set back (loadedAt in the future) also reloads, rather than serving a value forever.
    if (value == null || now.isBefore(loadedAt) || !now.isBefore(loadedAt.plus(ttl))) {
      value = loader.get();
      loadedAt = now;
    }
    return value;
  }

  /** The next {@link #get()} loads. */
  synchronized void invalidate() {
    value = null;
    loadedAt = null;
  }
}
