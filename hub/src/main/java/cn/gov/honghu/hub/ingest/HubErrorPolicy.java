package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.delivery.OutboxRelay.BrokerUnavailableException;
import cn.gov.honghu.hub.message.StoreFailures;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.web.ProblemException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The hub's one error policy, for every route of the hub; no route builder declares its own ({@code
 * ModularityTests} keeps it so). The ingest routes opt in by id: ingest steps propagate every
 * exception to the entry route. There a refusal ({@link ProblemException}) is recorded once by
 * {@link RefusalRecorder} and handed back to the HTTP front; anything else is left unhandled so the
 * front answers it (503 when the store is down) and nothing half-done is reported as accepted.
 *
 * <p>Every other route (the scheduled runs: outbox relay, broker probe, webhook dispatch, overdue
 * and escalation sweeps) names no configuration and gets the nameless default one: a failed run is
 * handled and not redelivered, since the next tick runs again and its work stays in the store.
 */
public class HubErrorPolicy extends RouteConfigurationBuilder {

  public static final String INGEST_ENTRY = "hub.ingest-entry";
  public static final String INGEST_STEP = "hub.ingest-step";
  public static final String INGEST_TRANSACTION = "hub.ingest-transaction";
  public static final String REFUSAL = "hub.refusal";

  private static final String LOG = HubErrorPolicy.class.getName();
  private static final String RUN_FAILED = "${routeId} run failed, the next run retries: ";

  private final RefusalRecorder recorder;

  public HubErrorPolicy(RefusalRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public void configuration() {
    routeConfiguration(INGEST_STEP).errorHandler(noErrorHandler());

    // The accepting transaction rolls back on any exception and hands it on, unredelivered; a
    // refusal (422) or a lost dedup race is an expected outcome, so rollbacks log at DEBUG.
    routeConfiguration(INGEST_TRANSACTION)
        .errorHandler(
            springTransactionErrorHandler(IngestRoutes.ACCEPT_TRANSACTION)
                .rollbackLoggingLevel(LoggingLevel.DEBUG)
                .maximumRedeliveries(0)
                .logExhausted(false)
                .logStackTrace(false));

    // The entry keeps Camel's default error handler (no redelivery), which applies onException.
    routeConfiguration(INGEST_ENTRY)
        .onException(ProblemException.class)
        .handled(true)
        .process(
            exchange -> {
              ProblemException refusal =
                  causeOfType(
                      exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class),
                      ProblemException.class);
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

    // The default, for routes that name no configuration: the scheduled runs. The store or the
    // broker being down fails every run until it is back and health reports it, so DEBUG; anything
    // else is a fault to look at, so WARN. Only the exception's class: Camel's exhausted-log is off
    // because its message history could show the exchange.
    routeConfiguration()
        .onException(Exception.class)
        .onWhen(
            exchange -> isOutage(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)))
        .handled(true)
        .logExhausted(false)
        .log(LoggingLevel.DEBUG, LOG, RUN_FAILED + "${exception.class}")
        .end()
        .onException(Exception.class)
        .handled(true)
        .logExhausted(false)
        .log(LoggingLevel.WARN, LOG, RUN_FAILED + "${exception.class}");
  }

  /** The store or the broker is unreachable: the failure passes when they are back. */
  static boolean isOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (StoreFailures.isUnavailable(t) || t instanceof BrokerUnavailableException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The exception of the given type in a cause chain: the transaction error handler hands on what
   * it rolled back for wrapped in a RuntimeCamelException.
   */
  static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
