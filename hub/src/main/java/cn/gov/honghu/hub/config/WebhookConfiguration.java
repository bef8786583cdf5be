package cn.gov.honghu.hub.config;

import cn.gov.honghu.connectors.webhook.WebhookClient;
import cn.gov.honghu.hub.admin.AdminAudit;
import cn.gov.honghu.hub.admin.RefusedMessages;
import cn.gov.honghu.hub.config.HubProperties.AgencyConfig;
import cn.gov.honghu.hub.config.HubProperties.DeliveryConfig;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import cn.gov.honghu.hub.config.HubProperties.Webhook;
import cn.gov.honghu.hub.delivery.FailedDeliveries;
import cn.gov.honghu.hub.delivery.WebhookDispatcher;
import cn.gov.honghu.hub.delivery.WebhookDispatcher.BreakerSettings;
import cn.gov.honghu.hub.delivery.WebhookDispatcher.Target;
import cn.gov.honghu.hub.store.EventLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires webhook delivery (HUB-SPEC section 4): each webhook agency's effective settings (its own
 * {@code delivery.*} over {@code hub.delivery.webhook.*}), the dispatcher and its schedule, and the
 * failed store with its admin API.
 */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

  /** How often idle agency workers look for due deliveries. */
  static final long DISPATCH_MILLIS = 200;

  @Bean(destroyMethod = "close")
  WebhookDispatcher webhookDispatcher(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      HubProperties hub,
      EventLog events,
      JsonMapper json,
      MeterRegistry meters,
      Clock clock) {
    Webhook defaults = hub.delivery().webhook();
    List<Target> targets =
        hub.agencies().stream()
            .filter(agency -> agency.delivery().mode() == DeliveryMode.WEBHOOK)
            .map(agency -> target(agency, defaults))
            .toList();
    return new WebhookDispatcher(
        jdbc,
        new TransactionTemplate(transactions),
        new WebhookClient(Duration.ofSeconds(5), clock),
        targets,
        new BreakerSettings(defaults.breakerFailures(), defaults.breakerOpenFor()),
        events,
        json,
        meters,
        clock);
  }

  private static Target target(AgencyConfig agency, Webhook defaults) {
    DeliveryConfig own = agency.delivery();
    return new Target(
        agency.code(),
        URI.create(own.url()),
        own.secret().getBytes(StandardCharsets.UTF_8),
        own.maxAttempts() != null ? own.maxAttempts() : defaults.maxAttempts(),
        own.initialDelay() != null ? own.initialDelay() : defaults.initialDelay(),
        own.maxDelay() != null ? own.maxDelay() : defaults.maxDelay(),
        own.timeout() != null ? own.timeout() : defaults.timeout());
  }

  @Bean
  RouteBuilder webhookRoutes(WebhookDispatcher dispatcher) {
    return new RouteBuilder() {
      @Override
      public void configure() {
        from("scheduler:webhook-dispatch?initialDelay=0&delay=" + DISPATCH_MILLIS)
            .routeId("delivery.webhook")
            .process(exchange -> dispatcher.dispatch());
      }
    };
  }

  @Bean
  FailedDeliveries failedDeliveries(
      JdbcTemplate jdbc, EventLog events, Clock clock, HubProperties hub) {
    return new FailedDeliveries(jdbc, events, clock, hub.zone());
  }

  @Bean
  AdminAudit adminAudit(JdbcTemplate jdbc, Clock clock) {
    return new AdminAudit(jdbc, clock);
  }

  @Bean
  RefusedMessages refusedMessages(JdbcTemplate jdbc, HubProperties hub) {
    return new RefusedMessages(jdbc, hub.zone());
  }
}
