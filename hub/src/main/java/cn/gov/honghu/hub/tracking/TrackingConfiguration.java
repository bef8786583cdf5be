package cn.gov.honghu.hub.tracking;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires message tracking's queries. */
@Configuration(proxyBeanMethods = false)
class TrackingConfiguration {

  @Bean
  MessageQueries messageQueries(JdbcTemplate jdbc) {
    return new MessageQueries(jdbc);
  }
}
