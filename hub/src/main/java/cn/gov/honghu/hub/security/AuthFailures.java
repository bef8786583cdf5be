package cn.gov.honghu.hub.security;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failed authentications per source address in the current minute (HUB-SPEC section 11): past
 * {@code maxPerMinute} the address gets 429 for the rest of that minute. The counts start afresh
 * each minute, so the map holds at most one minute's addresses.
 */
final class AuthFailures {

  private final int maxPerMinute;
  private final Clock clock;
  private volatile Window window;

  private record Window(long minute, Map<String, AtomicInteger> counts) {}

  AuthFailures(int maxPerMinute, Clock clock) {
    this.maxPerMinute = maxPerMinute;
    this.clock = clock;
    this.window = new Window(minute(), new ConcurrentHashMap<>());
  }

  /** Whether the address used up its failures this minute. */
  boolean isBlocked(String address) {
    AtomicInteger count = current().counts().get(address);
    return count != null && count.get() > maxPerMinute;
  }

  void record(String address) {
    current().counts().computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
  }

  /** Whole seconds until the minute ends, at least 1. */
  long secondsLeftInMinute() {
    long second = clock.millis() / 1000;
    return Math.max(1, 60 - second % 60);
  }

  private Window current() {
    Window now = window;
    long minute = minute();
    if (now.minute() != minute) {
      now = new Window(minute, new ConcurrentHashMap<>());
      window = now;
    }
    return now;
  }

  private long minute() {
    return clock.millis() / 60_000;
  }
}
