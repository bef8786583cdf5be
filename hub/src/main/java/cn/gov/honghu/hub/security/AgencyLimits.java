package cn.gov.honghu.hub.security;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-agency limits (HUB-SPEC section 11): a message rate with bursts (Resilience4j's {@link
 * RateLimiter}) for ingest, and a cap on requests in flight (its {@link Bulkhead}) for every
 * request of the agency. Each agency has its own, so one agency flooding the hub is slowed without
 * slowing the others.
 */
public final class AgencyLimits {

  /** An agency's rate: {@code perSecond} messages, {@code burst} of them at once. */
  public record Rate(double perSecond, int burst) {}

  /** What the caller is told: wait this many whole seconds (at least 1). */
  public record Refusal(long retryAfterSeconds) {}

  private final Map<String, Optional<AtomicRateLimiter>> rates = new ConcurrentHashMap<>();
  private final Map<String, Bulkhead> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Rate> configured;
  private final int maxConcurrent;

  /** {@code rates}: the agencies whose ingest is rate-limited; the others are not. */
  public AgencyLimits(Map<String, Rate> rates, int maxConcurrent) {
    this.configured = Map.copyOf(rates);
    this.maxConcurrent = maxConcurrent;
  }

  /**
   * Takes one of the agency's places in flight; empty when all are taken. The caller must {@link
   * #leave} once its request is answered.
   */
  public Optional<Refusal> enter(String agency) {
    Bulkhead bulkhead = inFlight.computeIfAbsent(agency, this::bulkhead);
    return bulkhead.tryAcquirePermission() ? Optional.empty() : Optional.of(new Refusal(1));
  }

  public void leave(String agency) {
    Bulkhead bulkhead = inFlight.get(agency);
    if (bulkhead != null) {
      bulkhead.onComplete();
    }
  }

  /** Takes a permit for one message; a refusal says when the next permit is due. */
  public Optional<Refusal> admitMessage(String agency) {
    Optional<AtomicRateLimiter> limiter = rates.computeIfAbsent(agency, this::rateLimiter);
    if (limiter.isEmpty() || limiter.get().acquirePermission(1)) {
      return Optional.empty();
    }
    long nanos = Math.max(0, limiter.get().getDetailedMetrics().getNanosToWait());
    return Optional.of(new Refusal(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L)));
  }

  private Bulkhead bulkhead(String agency) {
    return Bulkhead.of(
        "agency-" + agency,
        BulkheadConfig.custom()
            .maxConcurrentCalls(maxConcurrent)
            .maxWaitDuration(Duration.ZERO)
            .build());
  }

  /**
   * A token bucket as Resilience4j expresses it: {@code burst} permits refilled every {@code burst
   * / perSecond} seconds, so the long-run rate is {@code perSecond}; a caller never waits.
   */
  private Optional<AtomicRateLimiter> rateLimiter(String agency) {
    Rate rate = configured.get(agency);
    if (rate == null) {
      return Optional.empty();
    }
    long refreshNanos = Math.max(1_000_000L, Math.round(rate.burst() / rate.perSecond() * 1e9));
    return Optional.of(
        new AtomicRateLimiter(
            "agency-" + agency,
            RateLimiterConfig.custom()
                .limitForPeriod(rate.burst())
                .limitRefreshPeriod(Duration.ofNanos(refreshNanos))
                .timeoutDuration(Duration.ZERO)
                .build()));
  }
}
