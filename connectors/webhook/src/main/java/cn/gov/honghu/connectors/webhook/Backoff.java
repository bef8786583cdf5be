package cn.gov.honghu.connectors.webhook;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait before a retry: exponential from {@code initial} (doubling per attempt) up to {@code
 * max}, with jitter: a random delay between half and all of it, so that the deliveries a failed
 * agency piled up do not all come back at the same instant when it recovers.
 */
public final class Backoff {

  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The wait after {@code failedAttempts} failed attempts (1 after the first try). */
  public Duration after(int failedAttempts) {
    long ceiling = max.toMillis();
    long delay = initial.toMillis();
    for (int i = 1; i < failedAttempts && delay < ceiling; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, ceiling);
    long half = delay / 2;
    return Duration.ofMillis(half + random.nextLong(delay - half + 1));
  }
}
