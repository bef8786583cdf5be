package cn.gov.honghu.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScrapeCacheTest {

  private static final Duration TTL = Duration.ofSeconds(5);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-06T08:00:00Z"));
  private final AtomicInteger loads = new AtomicInteger();
  private final ScrapeCache<Integer> cache = new ScrapeCache<>(loads::incrementAndGet, clock, TTL);

  @Test
  void shouldLoadOnceWhenReadRepeatedlyWithinTheTtl() {
    // given
    cache.get();
    // when
    clock.advance(TTL.minusMillis(1));
    int value = cache.get();
    // then
    assertThat(value).isEqualTo(1);
    assertThat(loads).hasValue(1);
  }

  @Test
  void shouldLoadAgainWhenTheTtlHasPassed() {
    // given
    cache.get();
    // when
    clock.advance(TTL);
    int value = cache.get();
    // then
    assertThat(value).isEqualTo(2);
  }

  @Test
  void shouldLoadAgainWhenInvalidated() {
    // given
    cache.get();
    // when
    cache.invalidate();
    int value = cache.get();
    // then
    assertThat(value).isEqualTo(2);
  }

  @Test
  void shouldLoadAgainWhenTheClockWasSetBack() {
    // given
    cache.get();
    // when
    clock.advance(Duration.ofMinutes(-1));
    int value = cache.get();
    // then: a value loaded "in the future" is not served until the clock catches up
    assertThat(value).isEqualTo(2);
  }

  @Test
  void shouldNotCacheAFailedLoadWhenTheLoaderThrows() {
    // given
    AtomicInteger calls = new AtomicInteger();
    ScrapeCache<Integer> failing =
        new ScrapeCache<>(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("down");
              }
              return calls.get();
            },
            clock,
            TTL);
    // when
    assertThatThrownBy(failing::get).isInstanceOf(IllegalStateException.class);
    int value = failing.get();
    // then
    assertThat(value).isEqualTo(2);
  }
}
