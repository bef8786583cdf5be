package cn.gov.honghu.hub.stats;

import cn.gov.honghu.hub.metrics.DeliveryBacklog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the admin statistics. */
@Configuration(proxyBeanMethods = false)
class StatsConfiguration {

  @Bean
  AdminStats adminStats(JdbcTemplate jdbc, DeliveryBacklog backlog, Clock clock) {
    return new AdminStats(jdbc, backlog, clock);
  }
}
