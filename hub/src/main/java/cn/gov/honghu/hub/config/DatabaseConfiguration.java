package cn.gov.honghu.hub.config;

import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.flywaydb.core.api.callback.Callback;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the database needs at start, after the migrations and before the hub uses it. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

  /** Spring Boot hands every Flyway {@link Callback} bean to the migration. */
  @Bean
  Callback identityRecovery() {
    return new IdentityRecovery();
  }

  @Bean
  EmbeddedStoreMaintenance embeddedStoreMaintenance(
      DataSource dataSource, HubProperties properties, MeterRegistry meters) {
    return new EmbeddedStoreMaintenance(dataSource, properties.embeddedStore(), meters);
  }
}
