package cn.gov.honghu.hub.metrics;

import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.message.Receipt;
import cn.gov.honghu.hub.message.StoreFailures;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.web.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Counts every ingest outcome and times it: {@code hub.ingest.messages} (agency, type, outcome,
 * status) and {@code hub.ingest.latency} (agency, outcome).
 *
 * <p>Important: tag values are never read from the posted bytes. The agency is the authenticated
 * caller, the type is the {@link MessageType} the envelope check resolved ({@code unknown} when it
 * resolved none, so a garbage type cannot mint new series), the outcome is one of four words and
 * the status an HTTP status code.
 */
public final class IngestMetrics {

  public static final String MESSAGES = "hub.ingest.messages";
  public static final String LATENCY = "hub.ingest.latency";

  static final String ACCEPTED = "accepted";
  static final String DUPLICATE = "duplicate";
  static final String REFUSED = "refused";
  static final String FAILED = "failed";
  static final String UNKNOWN_TYPE = "unknown";

  private final MeterRegistry registry;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Runs the ingest of one message and records how it ended; whatever {@code ingest} throws is
   * rethrown unchanged.
   */
  public void record(Submission message, Runnable ingest) {
    Timer.Sample sample = Timer.start(registry);
    try {
      ingest.run();
    } catch (ProblemException refusal) {
      count(message, REFUSED, refusal.status(), sample);
      throw refusal;
    } catch (RuntimeException | Error failure) {
      count(message, FAILED, failureStatus(failure), sample);
      throw failure;
    }
    boolean duplicate =
        message.isAnswered() && Receipt.DUPLICATE.equals(message.outcome().status());
    count(message, duplicate ? DUPLICATE : ACCEPTED, message.outcomeStatus(), sample);
  }

  private void count(Submission message, String outcome, int status, Timer.Sample sample) {
    String agency = message.caller().code();
    MessageType type = message.type();
    Counter.builder(MESSAGES)
        .description("Messages posted to the ingest API, by how they ended")
        .tag("agency", agency)
        .tag("type", type == null ? UNKNOWN_TYPE : type.name())
        .tag("outcome", outcome)
        .tag("status", Integer.toString(status))
        .register(registry)
        .increment();
    sample.stop(
        Timer.builder(LATENCY)
            .description("Time from the read body to the answer, by how the message ended")
            .tag("agency", agency)
            .tag("outcome", outcome)
            // Fixed buckets rather than a percentile histogram: about ten series per agency and
            // outcome instead of seventy; management.metrics.distribution.slo overrides them.
            .serviceLevelObjectives(
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofMillis(2500),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10))
            .register(registry));
  }

  /** The status the HTTP front answers for an unexpected failure (see {@link StoreFailures}). */
  static int failureStatus(Throwable failure) {
    return StoreFailures.isUnavailable(failure) ? 503 : 500;
  }
}
