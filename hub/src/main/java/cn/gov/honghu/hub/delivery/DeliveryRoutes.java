package cn.gov.honghu.hub.delivery;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * The delivery flow's scheduled routes: the outbox relay, the broker probe and the webhook
 * dispatch. All run in every hub instance; instances sharing a database take different rows. A
 * failed run (broker or database down) is handled by the hub's one error policy for scheduled
 * routes ({@code ingest.HubErrorPolicy}): the next tick retries, and the rows stay.
 */
public class DeliveryRoutes extends RouteBuilder {

  private final OutboxRelay relay;
  private final BrokerAvailability broker;
  private final WebhookDispatcher dispatcher;
  private final Duration relayInterval;
  private final Duration probeInterval;
  private final Duration dispatchInterval;

  public DeliveryRoutes(
      OutboxRelay relay,
      BrokerAvailability broker,
      WebhookDispatcher dispatcher,
      Duration relayInterval,
      Duration probeInterval,
      Duration dispatchInterval) {
    this.relay = relay;
    this.broker = broker;
    this.dispatcher = dispatcher;
    this.relayInterval = relayInterval;
    this.probeInterval = probeInterval;
    this.dispatchInterval = dispatchInterval;
  }

  @Override
  public void configure() {
    from("scheduler:outbox-relay?delay=" + relayInterval.toMillis() + "&initialDelay=0")
        .routeId("delivery.relay")
        .process(exchange -> relay.drain());

    from("scheduler:broker-probe?delay=" + probeInterval.toMillis() + "&initialDelay=0")
        .routeId("delivery.broker-probe")
        .process(exchange -> broker.probe());

    from("scheduler:webhook-dispatch?initialDelay=0&delay=" + dispatchInterval.toMillis())
        .routeId("delivery.webhook")
        .process(exchange -> dispatcher.dispatch());
  }
}
