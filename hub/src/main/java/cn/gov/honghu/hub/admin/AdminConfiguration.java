package cn.gov.honghu.hub.admin;

import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.delivery.FailedDeliveries;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the admin API's audit, its view of refused messages, and four eyes. */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

  @Bean
  AdminAudit adminAudit(JdbcTemplate jdbc, Clock clock) {
    return new AdminAudit(jdbc, clock);
  }

  @Bean
  RefusedMessages refusedMessages(JdbcTemplate jdbc, HubProperties hub) {
    return new RefusedMessages(jdbc, hub.zone());
  }

  @Bean
  Approvals approvals(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      FailedDeliveries failed,
      AuditTrail auditTrail,
      AdminAudit adminAudit,
      Clock clock,
      HubProperties hub) {
    return new Approvals(jdbc, transaction, failed, auditTrail, adminAudit, clock, hub.zone());
  }
}
