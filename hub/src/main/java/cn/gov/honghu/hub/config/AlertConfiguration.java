package cn.gov.honghu.hub.config;

import cn.gov.honghu.hub.alerts.AlertIndex;
import cn.gov.honghu.hub.alerts.EscalationWatch;
import cn.gov.honghu.hub.alerts.Incidents;
import cn.gov.honghu.hub.store.MessageStore;
import java.time.Clock;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires the incident views and the escalation watch with its schedule (HUB-SPEC section 8). */
@Configuration(proxyBeanMethods = false)
class AlertConfiguration {

  /** How often the escalation watch looks for unanswered incidents. */
  static final long SWEEP_MILLIS = 1000;

  @Bean
  Incidents incidents(JdbcTemplate jdbc, AlertIndex alerts, HubProperties hub, Clock clock) {
    return new Incidents(jdbc, alerts, hub.alerts().correlationWindow(), clock, hub.zone());
  }

  @Bean
  EscalationWatch escalationWatch(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      AlertIndex alerts,
      MessageStore store,
      JsonMapper json,
      Clock clock,
      HubProperties hub) {
    return new EscalationWatch(
        jdbc, new TransactionTemplate(transactions), alerts, store, json, clock, hub.zone());
  }

  @Bean
  RouteBuilder escalationRoutes(EscalationWatch watch) {
    return new RouteBuilder() {
      @Override
      public void configure() {
        from("scheduler:alerts.escalation?initialDelay=" + SWEEP_MILLIS + "&delay=" + SWEEP_MILLIS)
            .routeId("alerts.escalation")
            .process(exchange -> watch.sweep());
      }
    };
  }
}
