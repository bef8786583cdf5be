package cn.gov.honghu.hub.admin;

import cn.gov.honghu.hub.config.HubProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the admin API's audit and its view of refused messages. */
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
}
