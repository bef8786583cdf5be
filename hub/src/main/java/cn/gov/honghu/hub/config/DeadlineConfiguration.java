package cn.gov.honghu.hub.config;

import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.deadlines.DeadlineSettings;
import cn.gov.honghu.hub.deadlines.OverdueWatch;
import cn.gov.honghu.hub.metrics.DeliveryBacklog;
import cn.gov.honghu.hub.rules.RulesFile;
import cn.gov.honghu.hub.stats.AdminStats;
import cn.gov.honghu.hub.store.MessageStore;
import cn.gov.honghu.hub.timeline.CaseTimeline;
import java.time.Clock;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the case lifecycle: deadline settings ({@code hub.deadlines.*}) checked against the rules
 * file, the deadline book, the overdue watch and its schedule, the timeline and the statistics.
 */
@Configuration(proxyBeanMethods = false)
class DeadlineConfiguration {

  /** How often the overdue watch looks for deadlines that passed. */
  static final long SWEEP_MILLIS = 1000;

  @Bean
  DeadlineSettings deadlineSettings(
      HubProperties hub, DeadlineCalendarProperties calendar, RulesFile rules) {
    return DeadlineSettings.from(
        hub.deadlines(),
        calendar.calendar(),
        calendar.holidays(),
        calendar.extraWorkingDays(),
        rules.deadlines(),
        hub.zone());
  }

  @Bean
  DeadlineBook deadlineBook(
      JdbcTemplate jdbc, RulesFile rules, DeadlineSettings settings, CaseIndex cases) {
    return new DeadlineBook(jdbc, rules.deadlines(), settings, cases);
  }

  @Bean
  OverdueWatch overdueWatch(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      RulesFile rules,
      DeadlineBook book,
      MessageStore store,
      JsonMapper json,
      Clock clock,
      HubProperties hub) {
    return new OverdueWatch(
        jdbc,
        new TransactionTemplate(transactions),
        rules.deadlines(),
        book,
        store,
        json,
        clock,
        hub.zone());
  }

  /** The overdue watch on a Camel scheduler: a restart finds every deadline still in the store. */
  @Bean
  RouteBuilder deadlineRoutes(OverdueWatch watch) {
    return new RouteBuilder() {
      @Override
      public void configure() {
        from("scheduler:deadlines.overdue?initialDelay=" + SWEEP_MILLIS + "&delay=" + SWEEP_MILLIS)
            .routeId("deadlines.overdue")
            .process(exchange -> watch.sweep());
      }
    };
  }

  @Bean
  CaseTimeline caseTimeline(
      JdbcTemplate jdbc, DeadlineBook deadlines, JsonMapper json, HubProperties hub) {
    return new CaseTimeline(jdbc, deadlines, json, hub.zone());
  }

  @Bean
  AdminStats adminStats(JdbcTemplate jdbc, DeliveryBacklog backlog, Clock clock) {
    return new AdminStats(jdbc, backlog, clock);
  }
}
