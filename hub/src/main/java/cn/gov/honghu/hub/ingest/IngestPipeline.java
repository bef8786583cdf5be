package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.metrics.IngestMetrics;
import cn.gov.honghu.hub.web.ProblemException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;

/** The HTTP front's handle on the ingest routes. */
public class IngestPipeline {

  private final ProducerTemplate producer;
  private final IngestMetrics metrics;

  public IngestPipeline(ProducerTemplate producer, IngestMetrics metrics) {
    this.producer = producer;
    this.metrics = metrics;
  }

  /** Runs the message through the routes; throws its refusal, or leaves it answered. */
  public void process(Submission message) {
    metrics.record(message, () -> run(message));
  }

  private void run(Submission message) {
    Exchange exchange = producer.send(IngestRoutes.ENTRY, e -> e.getMessage().setBody(message));
    ProblemException refusal = exchange.getProperty(HubErrorPolicy.REFUSAL, ProblemException.class);
    if (refusal != null) {
      throw refusal;
    }
    Exception failure = exchange.getException();
    if (failure != null) {
      // Unwrap Camel's wrappers, so that the HTTP front sees the real failure (e.g. 503 when the
      // database is unreachable).
      Throwable cause = failure;
      while (cause instanceof RuntimeCamelException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("ingest failed", cause);
    }
    if (!message.isAnswered()) {
      throw new IllegalStateException("ingest ended without an answer");
    }
  }
}
