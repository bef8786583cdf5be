package cn.gov.honghu.hub.audit;

import org.apache.camel.builder.RouteBuilder;

/**
 * Signs the chain's head into the head file every {@code hub.audit.sign-interval} on a Camel
 * scheduler; a failed run is handled by the hub's error policy for scheduled routes and the next
 * run retries.
 */
class AuditRoutes extends RouteBuilder {

  private final SignedHeads heads;
  private final long intervalMillis;

  AuditRoutes(SignedHeads heads, long intervalMillis) {
    this.heads = heads;
    this.intervalMillis = intervalMillis;
  }

  @Override
  public void configure() {
    from("scheduler:audit.sign-head?initialDelay=1000&delay=" + intervalMillis)
        .routeId("audit.sign-head")
        .process(exchange -> heads.signHead());
  }
}
