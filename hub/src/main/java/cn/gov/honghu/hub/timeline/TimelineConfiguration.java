package cn.gov.honghu.hub.timeline;

import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.deadlines.DeadlineBook;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires a case's timeline. */
@Configuration(proxyBeanMethods = false)
class TimelineConfiguration {

  @Bean
  CaseTimeline caseTimeline(
      JdbcTemplate jdbc, DeadlineBook deadlines, JsonMapper json, HubProperties hub) {
    return new CaseTimeline(jdbc, deadlines, json, hub.zone());
  }
}
