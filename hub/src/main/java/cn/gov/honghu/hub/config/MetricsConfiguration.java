package cn.gov.honghu.hub.config;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.metrics.DeliveryMetrics;
import cn.gov.honghu.hub.metrics.IngestMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
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

  @Bean
  IngestMetrics ingestMetrics(MeterRegistry registry) {
    return new IngestMetrics(registry);
  }

  @Bean
  DeliveryMetrics deliveryMetrics(
      JdbcTemplate jdbc, MeterRegistry registry, AgencyRegistry agencies, Clock clock) {
    return new DeliveryMetrics(jdbc, registry, agencies.all(), clock, DeliveryMetrics.DEFAULT_TTL);
  }
}
