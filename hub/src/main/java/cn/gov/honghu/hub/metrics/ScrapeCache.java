package cn.gov.honghu.hub.metrics;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A value loaded at most once per {@code ttl}, on the injected clock: a one-entry Caffeine cache.
 * Gauges read through it, so a burst of scrapes (several Prometheus servers, a dashboard
 * refreshing) costs one load per period.
 *
 * <p>Important: concurrent scrapes wait for one load instead of each running it (Caffeine loads a
 * key once). A load that throws is not cached; callers that must not retry on every read (a
 * database that is down) should turn the failure into a value themselves.
 */
final class ScrapeCache<T> {

  private static final String KEY = "value";

  private final LoadingCache<String, T> cache;

  ScrapeCache(Supplier<T> loader, Clock clock, Duration ttl) {
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(ttl)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .build(key -> loader.get());
  }

  T get() {
    // Caffeine expects time to move forward: after a clock set back the entry's age is negative
    // and it would be served until the clock caught up, so reload instead.
    cache
        .policy()
        .expireAfterWrite()
        .flatMap(expiry -> expiry.ageOf(KEY))
        .filter(Duration::isNegative)
        .ifPresent(age -> cache.invalidateAll());
    return cache.get(KEY);
  }

  /** The next {@link #get()} loads. */
  void invalidate() {
    cache.invalidateAll();
  }
}
