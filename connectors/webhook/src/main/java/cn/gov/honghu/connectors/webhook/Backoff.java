package cn.gov.honghu.connectors.webhook;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait before a retry: exponential from {@code initial} (doubling per attempt) up to {@code
 * max}, with jitter: a random delay between half and all of it, so that the deliveries a failed
 * agency piled up do not all come back at the same instant when it recovers.
 *
 * <p>Resilience4j's {@link IntervalFunction} gives the capped exponential schedule. Its own
 * randomized variant is not used: it caps after randomizing (so every retry at the cap waits
 * exactly {@code max}, all together) and draws from {@code Math.random}, which a test cannot seed.
 */
public final class Backoff {

  private final IntervalFunction schedule;
  private final RandomGenerator random;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    this.schedule = IntervalFunction.ofExponentialBackoff(initial, 2.0, max);
    this.random = random;
  }

  /** The wait after {@code failedAttempts} failed attempts (1 after the first try). */
  public Duration after(int failedAttempts) {
    long delay = schedule.apply(Math.max(1, failedAttempts));
    long half = delay / 2;
    return Duration.ofMillis(half + random.nextLong(delay - half + 1));
  }
}
