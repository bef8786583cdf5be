package cn.gov.honghu.hub.delivery;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * The delivery flow's scheduled routes: the outbox relay and the broker probe. Both run in every
 * hub instance; instances sharing a database take different outbox rows.
 */
public class DeliveryRoutes extends RouteBuilder {

  private final OutboxRelay relay;
  private final BrokerAvailability broker;
  private final Duration relayInterval;
  private final Duration probeInterval;

  public DeliveryRoutes(
      OutboxRelay relay,
      BrokerAvailability broker,
      Duration relayInterval,
      Duration probeInterval) {
    this.relay = relay;
    this.broker = broker;
    this.relayInterval = relayInterval;
    this.probeInterval = probeInterval;
  }

  @Override
  public void configure() {
    // A failed run (broker or database down) is retried by the next tick; the rows stay.
    onException(Exception.class)
        .handled(true)
        .logExhausted(false)
        .log(org.apache.camel.LoggingLevel.DEBUG, "Outbox relay run failed: ${exception.class}");

    from("scheduler:outbox-relay?delay=" + relayInterval.toMillis() + "&initialDelay=0")
        .routeId("delivery.relay")
        .process(exchange -> relay.drain());

    from("scheduler:broker-probe?delay=" + probeInterval.toMillis() + "&initialDelay=0")
        .routeId("delivery.broker-probe")
        .process(exchange -> broker.probe());
  }
}
