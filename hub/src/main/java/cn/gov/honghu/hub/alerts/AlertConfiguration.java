package cn.gov.honghu.hub.alerts;

import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.message.HubMessages;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the alert index, the incident views and the escalation watch with its schedule (HUB-SPEC
 * section 8).
 */
@Configuration(proxyBeanMethods = false)
class AlertConfiguration {

  @Bean
  AlertIndex alertIndex(JdbcTemplate jdbc, HubProperties hub) {
    return new AlertIndex(
        jdbc,
        hub.alerts().correlationDistanceM(),
        hub.alerts().correlationWindow(),
        hub.alerts().escalateAfter());
  }

  @Bean
  Incidents incidents(JdbcTemplate jdbc, AlertIndex alerts, HubProperties hub, Clock clock) {
    return new Incidents(jdbc, alerts, hub.alerts().correlationWindow(), clock, hub.zone());
  }

  @Bean
  EscalationWatch escalationWatch(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      AuditTrail audit,
      AlertIndex alerts,
      HubMessages store,
      JsonMapper json,
      Clock clock,
      HubProperties hub) {
    return new EscalationWatch(
        jdbc, new TransactionTemplate(transactions), alerts, store, json, clock, hub.zone(), audit);
  }

  @Bean
  EscalationRoutes escalationRoutes(EscalationWatch watch) {
    return new EscalationRoutes(watch);
  }
}
