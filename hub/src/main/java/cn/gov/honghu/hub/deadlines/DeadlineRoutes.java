package cn.gov.honghu.hub.deadlines;

import org.apache.camel.builder.RouteBuilder;

/**
 * The overdue watch on a Camel scheduler: a restart finds every deadline still in the store. A
 * failed run is handled by the hub's one error policy for scheduled routes ({@code
 * ingest.HubErrorPolicy}); the next run retries.
 */
public class DeadlineRoutes extends RouteBuilder {

  /** How often the overdue watch looks for deadlines that passed. */
  static final long SWEEP_MILLIS = 1000;

  private final OverdueWatch watch;

  public DeadlineRoutes(OverdueWatch watch) {
    this.watch = watch;
  }

  @Override
  public void configure() {
    from("scheduler:deadlines.overdue?initialDelay=" + SWEEP_MILLIS + "&delay=" + SWEEP_MILLIS)
        .routeId("deadlines.overdue")
        .process(exchange -> watch.sweep());
  }
}
