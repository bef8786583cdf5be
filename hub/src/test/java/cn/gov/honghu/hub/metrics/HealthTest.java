package cn.gov.honghu.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code /actuator/health} and its readiness group, without credentials.
 *
 * <p>The HTTP connector starts before the Camel context (Tomcat is a smart lifecycle of an earlier
 * phase), so for a moment the hub answers HTTP while its routes are not yet running. Spring Boot
 * turns readiness to ACCEPTING_TRAFFIC only after the context refresh, in which Camel starts its
 * routes; the readiness test pins that order, so a change that starts routes later (lazily, or
 * asynchronously) fails here instead of letting a load balancer send messages to a hub that cannot
 * take them.
 */
@ApplicationTest
class HealthTest {

  @LocalServerPort int port;
  @Autowired ApplicationAvailability availability;
  @Autowired CamelContext camel;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldShowTheDatabaseUpWithoutDetailsWhenHealthIsAskedAnonymously() {
    // when
    Answer health = hub.get(null, "/actuator/health");

    // then
    assertThat(health.status()).as(health.text()).isEqualTo(200);
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.get("components").get("db").get("status").asString()).isEqualTo("UP");
    assertThat(health.get("components").get("db").has("details")).isFalse();
  }

  @Test
  void shouldBeReadyWithReadinessStateCamelDatabaseAndDiskWhenTheHubHasStarted() {
    // when
    Answer readiness = hub.get(null, "/actuator/health/readiness");

    // then
    assertThat(readiness.status()).as(readiness.text()).isEqualTo(200);
    assertThat(readiness.get("status").asString()).isEqualTo("UP");
    assertThat(readiness.get("components").propertyNames())
        .containsExactlyInAnyOrder("readinessState", "camelReadinessState", "db", "disk");
  }

  @Test
  void shouldHaveStartedEveryCamelRouteBeforeReadinessTurnedUp() {
    // given: the moment readiness last changed
    AvailabilityChangeEvent<ReadinessState> ready =
        availability.getLastChangeEvent(ReadinessState.class);
    assertThat(ready.getState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

    // then: the ingest entry and every other route were running by then
    assertThat(camel.getRoute("ingest.receive")).isNotNull();
    assertThat(camel.getRoutes()).isNotEmpty();
    for (Route route : camel.getRoutes()) {
      assertThat(camel.getRouteController().getRouteStatus(route.getRouteId()).isStarted())
          .as(route.getRouteId())
          .isTrue();
      long startedAt = System.currentTimeMillis() - route.getUptimeMillis();
      assertThat(startedAt).as(route.getRouteId()).isLessThanOrEqualTo(ready.getTimestamp());
    }
  }
}
