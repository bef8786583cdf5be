package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.dedup.Deduplicator;
import cn.gov.honghu.hub.delivery.BrokerAvailability;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.routing.Router;
import cn.gov.honghu.hub.routing.SenderAuthorization;
import cn.gov.honghu.hub.store.MessageStore;
import cn.gov.honghu.hub.thresholds.CaseAssessor;
import cn.gov.honghu.hub.validation.EnvelopeCheck;
import cn.gov.honghu.hub.validation.PayloadValidation;
import cn.gov.honghu.hub.web.ProblemException;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.dao.DuplicateKeyException;

/**
 * The ingest flow, one named route per step, in the check order of HUB-SPEC section 3: JSON and
 * envelope (400), authorisation (403), payload (400), duplicates (200/409), admission (503 while
 * the broker is unreachable), then the accepting transaction: the case's lock (403 again for a case
 * opened meanwhile), the assessment of facts and citations (thresholds, ban calendar, party
 * history), routing by the rules file with the case rules (422), the durable store (202), the
 * penalty's entry in the party history, and the case's deadlines opened and closed.
 *
 * <p>A step refuses by throwing a {@code ProblemException}; steps have no error handler of their
 * own, so the refusal reaches the entry route, whose error policy ({@link HubErrorPolicy}) records
 * it once and ends the flow. Routing runs inside the transaction, under the case lock, so
 * concurrent messages of one case are judged against each other's committed state.
 */
public class IngestRoutes extends RouteBuilder {

  public static final String ENTRY = "direct:ingest.receive";
  public static final String ACCEPT_TRANSACTION = "acceptTransaction";

  private final EnvelopeCheck envelope;
  private final SenderAuthorization authorization;
  private final PayloadValidation payload;
  private final Deduplicator dedup;
  private final CaseAssessor assessor;
  private final Router router;
  private final MessageStore store;
  private final DeadlineBook deadlines;
  private final BrokerAvailability broker;
  private final Clock clock;

  public IngestRoutes(
      EnvelopeCheck envelope,
      SenderAuthorization authorization,
      PayloadValidation payload,
      Deduplicator dedup,
      CaseAssessor assessor,
      Router router,
      MessageStore store,
      DeadlineBook deadlines,
      BrokerAvailability broker,
      Clock clock) {
    this.envelope = envelope;
    this.authorization = authorization;
    this.payload = payload;
    this.dedup = dedup;
    this.assessor = assessor;
    this.router = router;
    this.store = store;
    this.deadlines = deadlines;
    this.broker = broker;
    this.clock = clock;
  }

  @Override
  public void configure() {
    from(ENTRY)
        .routeId("ingest.receive")
        .routeConfigurationId(HubErrorPolicy.INGEST_ENTRY)
        .to("direct:validation.envelope")
        .to("direct:routing.authorize")
        .to("direct:validation.payload")
        .to("direct:dedup.check")
        .filter(e -> !e.getMessage().getBody(Submission.class).isAnswered())
        .to("direct:ingest.admission")
        .doTry()
        .to("direct:ingest.accept")
        .doCatch(DuplicateKeyException.class)
        // A concurrent post of the same message or its business twin committed first.
        .to("direct:dedup.recheck")
        .end();

    from("direct:ingest.accept")
        .routeId("ingest.accept")
        .routeConfigurationId(HubErrorPolicy.INGEST_TRANSACTION)
        .transacted(ACCEPT_TRANSACTION)
        .to("direct:cases.lock")
        .to("direct:assessment.assess")
        .to("direct:routing.route")
        .to("direct:store.accept")
        .to("direct:assessment.record")
        .to("direct:deadlines.track");

    step(
        "ingest.admission",
        message -> {
          if (!broker.isAvailable()) {
            throw new ProblemException(
                503,
                "unavailable",
                "Service Unavailable",
                "the hub cannot take messages right now (broker unreachable); nothing was"
                    + " stored, retry later");
          }
        });
    step("validation.envelope", envelope::check);
    step("routing.authorize", authorization::check);
    step("validation.payload", payload::check);
    step(
        "dedup.check",
        message -> {
          dedup.fingerprint(message);
          dedup.check(message);
        });
    step(
        "dedup.recheck",
        message -> {
          dedup.check(message);
          if (!message.isAnswered()) {
            throw new IllegalStateException("a unique key was violated but no duplicate found");
          }
        });
    step("cases.lock", message -> authorization.lockCase(message, clock.instant()));
    step("assessment.assess", message -> message.assessment(assessor.assess(message)));
    step("routing.route", message -> message.routing(router.route(message)));
    step("store.accept", store::accept);
    step("assessment.record", assessor::recordPenalty);
    step("deadlines.track", message -> deadlines.track(message, clock.instant()));
  }

  private void step(String id, Consumer<Submission> action) {
    from("direct:" + id)
        .routeId(id)
        .routeConfigurationId(HubErrorPolicy.INGEST_STEP)
        .process(exchange -> action.accept(exchange.getMessage().getBody(Submission.class)));
  }
}
