package cn.gov.honghu.hub.dedup;

import cn.gov.honghu.hub.store.EventLog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires the duplicate check. */
@Configuration(proxyBeanMethods = false)
class DedupConfiguration {

  @Bean
  Deduplicator deduplicator(JdbcTemplate jdbc, JsonMapper json, EventLog events, Clock clock) {
    return new Deduplicator(jdbc, json, events, clock);
  }
}
