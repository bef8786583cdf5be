package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.dedup.Deduplicator;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.routing.Router;
import cn.gov.honghu.hub.routing.SenderAuthorization;
import cn.gov.honghu.hub.store.MessageStore;
import cn.gov.honghu.hub.validation.EnvelopeCheck;
import cn.gov.honghu.hub.validation.PayloadValidation;
import java.util.function.Consumer;
import org.apache.camel.builder.RouteBuilder;

/**
 * The ingest flow, one named route per step, in the check order of HUB-SPEC section 3: JSON and
 * envelope (400), authorisation (403), payload (400), duplicates (200/409), case rules and routing
 * (422), then the durable store (202). A step refuses by throwing a {@code ProblemException}; steps
 * have no error handler of their own, so the refusal reaches the entry route, whose error policy
 * ({@link HubErrorPolicy}) records it once and ends the flow.
 */
public class IngestRoutes extends RouteBuilder {

  public static final String ENTRY = "direct:ingest.receive";

  private final EnvelopeCheck envelope;
  private final SenderAuthorization authorization;
  private final PayloadValidation payload;
  private final Deduplicator dedup;
  private final Router router;
  private final MessageStore store;

  public IngestRoutes(
      EnvelopeCheck envelope,
      SenderAuthorization authorization,
      PayloadValidation payload,
      Deduplicator dedup,
      Router router,
      MessageStore store) {
    this.envelope = envelope;
    this.authorization = authorization;
    this.payload = payload;
    this.dedup = dedup;
    this.router = router;
    this.store = store;
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
        .to("direct:routing.route")
        .to("direct:store.accept");

    step("validation.envelope", envelope::check);
    step("routing.authorize", authorization::check);
    step("validation.payload", payload::check);
    step(
        "dedup.check",
        message -> {
          dedup.fingerprint(message);
          dedup.check(message);
        });
    step("routing.route", message -> message.routing(router.route(message)));
    step("store.accept", store::accept);
  }

  private void step(String id, Consumer<Submission> action) {
    from("direct:" + id)
        .routeId(id)
        .routeConfigurationId(HubErrorPolicy.INGEST_STEP)
        .process(exchange -> action.accept(exchange.getMessage().getBody(Submission.class)));
  }
}
