package cn.gov.honghu.hub.retention;

import org.apache.camel.builder.RouteBuilder;

/**
 * The retention job on a Camel scheduler: every minute it asks whether the schedule ({@code
 * hub.retention.schedule}) fired since the last run, so a hub that was down at the scheduled time
 * runs it when it is back. A failed run is handled by the hub's one error policy for scheduled
 * routes ({@code ingest.HubErrorPolicy}); the next scheduled run takes up what it left.
 */
public class RetentionRoutes extends RouteBuilder {

  static final long CHECK_MILLIS = 60_000;

  private final RetentionJob job;

  public RetentionRoutes(RetentionJob job) {
    this.job = job;
  }

  @Override
  public void configure() {
    from("scheduler:retention.run?initialDelay=" + CHECK_MILLIS + "&delay=" + CHECK_MILLIS)
        .routeId("retention.run")
        .process(exchange -> job.runIfDue());
  }
}
