package cn.gov.honghu.hub.deadlines;

import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.config.DeadlineCalendarProperties;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.store.MessageStore;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the case deadlines: deadline settings ({@code hub.deadlines.*}) checked against the rules
 * file's deadline rules, the deadline book, the overdue watch and its schedule.
 */
@Configuration(proxyBeanMethods = false)
class DeadlineConfiguration {

  @Bean
  DeadlineSettings deadlineSettings(
      HubProperties hub, DeadlineCalendarProperties calendar, DeadlineRules rules) {
    return DeadlineSettings.from(
        hub.deadlines(),
        calendar.calendar(),
        calendar.holidays(),
        calendar.extraWorkingDays(),
        rules,
        hub.zone());
  }

  @Bean
  DeadlineBook deadlineBook(
      JdbcTemplate jdbc,
      DeadlineRules rules,
      DeadlineSettings settings,
      CaseIndex cases,
      AuditTrail audit) {
    return new DeadlineBook(jdbc, rules, settings, cases, audit);
  }

  @Bean
  OverdueWatch overdueWatch(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      DeadlineRules rules,
      DeadlineBook book,
      MessageStore store,
      JsonMapper json,
      Clock clock,
      HubProperties hub) {
    return new OverdueWatch(
        jdbc, new TransactionTemplate(transactions), rules, book, store, json, clock, hub.zone());
  }

  @Bean
  DeadlineRoutes deadlineRoutes(OverdueWatch watch) {
    return new DeadlineRoutes(watch);
  }
}
