package cn.gov.honghu.hub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every route of the running hub, wherever its feature wires it, runs under the one policy. */
@ApplicationTest
class HubRoutesTest {

  /** How Camel names the nameless (default) route configuration a route was given. */
  private static final String DEFAULT = "<default>";

  @Autowired CamelContext camel;

  @Test
  void shouldRunEveryRouteUnderTheHubErrorPolicy() {
    assertThat(camel.getRoutes()).isNotEmpty();
    for (Route route : camel.getRoutes()) {
      boolean scheduled = route.getEndpoint().getEndpointUri().startsWith("scheduler:");
      assertThat(route.getConfigurationId())
          .as(route.getRouteId())
          .isIn(
              scheduled
                  ? Set.of(DEFAULT)
                  : Set.of(
                      HubErrorPolicy.INGEST_ENTRY,
                      HubErrorPolicy.INGEST_STEP,
                      HubErrorPolicy.INGEST_TRANSACTION));
    }
    assertThat(camel.getRoutes())
        .extracting(Route::getRouteId)
        .contains(
            "deadlines.overdue",
            "alerts.escalation",
            "delivery.relay",
            "delivery.broker-probe",
            "delivery.webhook");
  }
}
