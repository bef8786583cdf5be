package cn.gov.honghu.hub.config;

/**
 * Test-only crash points, off unless a JVM system property switches one on. {@code
 * -Dhub.fault.halt-after-publish=true} halts the JVM (as a kill -9 would) after the outbox relay
 * committed a batch to the broker and before it deleted the rows, the one window in which a crash
 * could double a delivery; {@code OutboxRelayCrashIT} uses it.
 */
public final class FaultHooks {

  private FaultHooks() {}

  /** What the relay runs after a published batch: nothing, unless the crash point is on. */
  public static Runnable haltAfterPublish() {
    if (!Boolean.getBoolean("hub.fault.halt-after-publish")) {
      return () -> {};
    }
    return () -> Runtime.getRuntime().halt(137);
  }
}
