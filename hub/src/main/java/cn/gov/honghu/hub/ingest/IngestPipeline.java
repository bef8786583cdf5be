package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.message.ProblemException;
import cn.gov.honghu.hub.message.Submission;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** The HTTP front's handle on the ingest routes. */
public class IngestPipeline {

  private final ProducerTemplate producer;

  public IngestPipeline(ProducerTemplate producer) {
    this.producer = producer;
  }

  /** Runs the message through the routes; throws its refusal, or leaves it answered. */
  public void process(Submission message) {
    Exchange exchange = producer.send(IngestRoutes.ENTRY, e -> e.getMessage().setBody(message));
    ProblemException refusal = exchange.getProperty(HubErrorPolicy.REFUSAL, ProblemException.class);
    if (refusal != null) {
      throw refusal;
    }
    if (exchange.getException() != null) {
      if (exchange.getException() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("ingest failed", exchange.getException());
    }
    if (!message.isAnswered()) {
      throw new IllegalStateException("ingest ended without an answer");
    }
  }
}
