package cn.gov.honghu.hub.alerts;

import org.apache.camel.builder.RouteBuilder;

/**
 * The escalation watch on a Camel scheduler. A failed run is handled by the hub's one error policy
 * for scheduled routes ({@code ingest.HubErrorPolicy}); the next run retries.
 */
public class EscalationRoutes extends RouteBuilder {

  /** How often the escalation watch looks for unanswered incidents. */
  static final long SWEEP_MILLIS = 1000;

  private final EscalationWatch watch;

  public EscalationRoutes(EscalationWatch watch) {
    this.watch = watch;
  }

  @Override
  public void configure() {
    from("scheduler:alerts.escalation?initialDelay=" + SWEEP_MILLIS + "&delay=" + SWEEP_MILLIS)
        .routeId("alerts.escalation")
        .process(exchange -> watch.sweep());
  }
}
