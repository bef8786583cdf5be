package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.message.ProblemException;
import cn.gov.honghu.hub.message.Submission;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The hub's one error policy; routes opt in by id. Ingest steps propagate every exception to the
 * entry route. There a refusal ({@link ProblemException}) is recorded once by {@link
 * RefusalRecorder} and handed back to the HTTP front; anything else is left unhandled so the front
 * answers it (503 when the store is down) and nothing half-done is reported as accepted.
 */
public class HubErrorPolicy extends RouteConfigurationBuilder {

  public static final String INGEST_ENTRY = "hub.ingest-entry";
  public static final String INGEST_STEP = "hub.ingest-step";
  public static final String REFUSAL = "hub.refusal";

  private final RefusalRecorder recorder;

  public HubErrorPolicy(RefusalRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public void configuration() {
    routeConfiguration(INGEST_STEP).errorHandler(noErrorHandler());

    // The entry keeps Camel's default error handler (no redelivery), which applies onException.
    routeConfiguration(INGEST_ENTRY)
        .onException(ProblemException.class)
        .handled(true)
        .process(
            exchange -> {
              ProblemException refusal =
                  exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ProblemException.class);
              exchange.setProperty(REFUSAL, refusal);
              recorder.record(exchange.getMessage().getBody(Submission.class), refusal);
            })
        .end()
        // Unexpected failures go back to the HTTP front unhandled; Camel's exhausted-log is off
        // because its message history could show the exchange body (personal data).
        .onException(Exception.class)
        .handled(false)
        .logExhausted(false)
        .logStackTrace(false);
  }
}
