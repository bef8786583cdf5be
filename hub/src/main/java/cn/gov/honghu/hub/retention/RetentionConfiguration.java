package cn.gov.honghu.hub.retention;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.metrics.RetentionMetrics;
import cn.gov.honghu.hub.store.EventLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires the retention job ({@code hub.retention.*}), its lease and its schedule. */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

  /** A holder that stopped renewing (a crash, a long pause) loses the duty after this long. */
  static final Duration LEASE = Duration.ofMinutes(10);

  @Bean
  RetentionJob retentionJob(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      EventLog events,
      RetentionMetrics metrics,
      EnvelopeCipher cipher,
      JsonMapper json,
      Clock clock,
      AgencyRegistry agencies,
      HubProperties hub) {
    HubProperties.Retention retention = hub.retention();
    Optional<CronExpression> schedule =
        "-".equals(retention.schedule())
            ? Optional.empty()
            : Optional.of(CronExpression.parse(retention.schedule()));
    return new RetentionJob(
        jdbc,
        new TransactionTemplate(transactions),
        new DutyLock(jdbc, "retention", "hub-" + UUID.randomUUID(), LEASE, clock),
        events,
        metrics,
        cipher,
        json,
        clock,
        new RetentionJob.Settings(
            retention.finishedDeliveries(),
            retention.personalData(),
            schedule,
            retention.batchSize(),
            hub.zone()),
        agencies.all().stream()
            .filter(a -> a.usesWebhook() || a.consumesQueue())
            .map(Agency::code)
            .toList());
  }

  @Bean
  RetentionRoutes retentionRoutes(RetentionJob job) {
    return new RetentionRoutes(job);
  }
}
