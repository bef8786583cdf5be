package cn.gov.honghu.hub.metrics;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.config.HubProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hub's own meters (HUB-SPEC section 10), on the registry Spring Boot exports at {@code
 * /actuator/prometheus}. Which actuator endpoints and health groups are exposed is in
 * application.yml ({@code management.*}).
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

  /** The data folder is walked at most this often (a large store has many files). */
  static final Duration DATA_DIR_SIZE_TTL = Duration.ofMinutes(1);

  @Bean
  IngestMetrics ingestMetrics(MeterRegistry registry) {
    return new IngestMetrics(registry);
  }

  @Bean
  DeliveryBacklog deliveryBacklog(
      JdbcTemplate jdbc, AgencyRegistry agencies, HubProperties hub, Clock clock) {
    return new DeliveryBacklog(jdbc, agencies.all(), hub.delivery().stalledAfter(), clock);
  }

  @Bean
  DeliveryMetrics deliveryMetrics(
      JdbcTemplate jdbc,
      DeliveryBacklog backlog,
      MeterRegistry registry,
      AgencyRegistry agencies,
      Clock clock) {
    return new DeliveryMetrics(
        jdbc, backlog, registry, agencies.all(), clock, DeliveryMetrics.DEFAULT_TTL);
  }

  @Bean
  DataDirUsage dataDirUsage(HubProperties hub, MeterRegistry registry, Clock clock) {
    DataDirUsage usage =
        new DataDirUsage(
            hub.dataDir(), hub.disk().warnFree(), hub.disk().minFree(), clock, DATA_DIR_SIZE_TTL);
    usage.register(registry);
    return usage;
  }

  /** Health {@code disk}: see {@link DiskHealth}. */
  @Bean
  HealthIndicator diskHealthIndicator(DataDirUsage usage) {
    return new DiskHealth(usage);
  }

  @Bean
  RetentionMetrics retentionMetrics(MeterRegistry registry) {
    return new RetentionMetrics(registry);
  }

  /**
   * Health shows stalled recipients as details ({@code deliveries}); it stays UP, because a slow
   * agency is a warning for the operators, not a reason to take the hub out of service. The figure
   * is cached for {@link DeliveryMetrics#DEFAULT_TTL}: health is open to anyone, and a caller
   * asking in a loop must not make the hub read the backlog each time.
   */
  @Bean
  HealthIndicator deliveriesHealthIndicator(DeliveryBacklog backlog, Clock clock) {
    ScrapeCache<Health> health =
        new ScrapeCache<>(
            () -> {
              List<String> stalled = new ArrayList<>();
              backlog
                  .byAgency()
                  .forEach(
                      (agency, pending) -> {
                        if (backlog.isStalled(pending)) {
                          stalled.add(agency);
                        }
                      });
              Collections.sort(stalled);
              return Health.up()
                  .withDetail("stalledAfter", backlog.stalledAfter().toString())
                  .withDetail("stalled", stalled)
                  .build();
            },
            clock,
            DeliveryMetrics.DEFAULT_TTL);
    return health::get;
  }
}
