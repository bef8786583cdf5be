package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.connectors.webhook.WebhookClient;
import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.config.FaultHooks;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.AgencyConfig;
import cn.gov.honghu.hub.config.HubProperties.DeliveryConfig;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import cn.gov.honghu.hub.config.HubProperties.Webhook;
import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.delivery.WebhookDispatcher.BreakerSettings;
import cn.gov.honghu.hub.delivery.WebhookDispatcher.Target;
import cn.gov.honghu.hub.metrics.DeliveryMetrics;
import cn.gov.honghu.hub.store.EventLog;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the delivery flow: the inbox (pull), the outbox relay to the broker (jms) with the broker
 * probe, webhook delivery (HUB-SPEC section 4) with each webhook agency's effective settings (its
 * own {@code delivery.*} over {@code hub.delivery.webhook.*}), the scheduled routes of all three,
 * the failed store and the dead-letter listener that fills it for jms agencies. The broker's own
 * settings are in {@link BrokerConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

  /** How often idle agency workers look for due deliveries. */
  static final Duration DISPATCH_INTERVAL = Duration.ofMillis(200);

  /** How often the dead-letter listener tries to reconnect to a broker that went away. */
  static final Duration DEAD_LETTER_RECOVERY = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(DeliveryConfiguration.class);

  @Bean
  Inbox inbox(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      EventLog events,
      EnvelopeCipher cipher,
      Clock clock,
      DeliveryMetrics metrics,
      HubProperties hub) {
    return new Inbox(
        jdbc, transaction, events, cipher, clock, metrics, hub.delivery().maxPullBytes().toBytes());
  }

  @Bean
  OutboxRelay outboxRelay(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      ConnectionFactory connectionFactory,
      EventLog events,
      EnvelopeCipher cipher,
      JsonMapper json,
      HubProperties hub,
      AgencyRegistry agencies,
      Clock clock) {
    return new OutboxRelay(
        jdbc,
        transaction,
        connectionFactory,
        events,
        cipher,
        json,
        hub.broker().relayBatchSize(),
        hub.broker().relayBatchBytes().toBytes(),
        queueConsumers(agencies),
        clock,
        FaultHooks.haltAfterPublish()::run);
  }

  /** Probes with fresh connections: a cached one can look alive after the broker went away. */
  @Bean
  BrokerAvailability brokerAvailability(ConnectionFactory connectionFactory, HubProperties hub) {
    ConnectionFactory target = unwrap(connectionFactory);
    // A probe may take at most the check interval, and never less than five seconds.
    Duration interval = hub.broker().availabilityCheckInterval();
    return new BrokerAvailability(
        target, interval.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : interval);
  }

  @Bean(destroyMethod = "close")
  WebhookDispatcher webhookDispatcher(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      HubProperties hub,
      EventLog events,
      EnvelopeCipher cipher,
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
        cipher,
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
  DeliveryRoutes deliveryRoutes(
      OutboxRelay relay,
      BrokerAvailability broker,
      WebhookDispatcher dispatcher,
      HubProperties hub) {
    return new DeliveryRoutes(
        relay,
        broker,
        dispatcher,
        hub.broker().relayInterval(),
        hub.broker().availabilityCheckInterval(),
        DISPATCH_INTERVAL);
  }

  @Bean
  FailedDeliveries failedDeliveries(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      EventLog events,
      EnvelopeCipher cipher,
      AuditTrail audit,
      Clock clock,
      HubProperties hub,
      AgencyRegistry agencies) {
    return new FailedDeliveries(
        jdbc, transaction, events, cipher, audit, clock, hub.zone(), queueConsumers(agencies));
  }

  @Bean
  DeadLetters deadLetters(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      EventLog events,
      JsonMapper json,
      Clock clock,
      HubProperties hub) {
    return new DeadLetters(
        jdbc, transaction, events, json, clock, hub.broker().maxDeliveryAttempts());
  }

  /**
   * Consumes {@code hub.dead-letter} in a transacted session: the session commits (acknowledges the
   * dead letter) after {@link DeadLetters#onMessage} returned, that is after its database
   * transaction committed; an exception rolls it back and the broker redelivers. Errors are logged
   * by class only, since a database message may quote values.
   */
  @Bean
  DefaultMessageListenerContainer deadLetterListener(
      ConnectionFactory connectionFactory, DeadLetters deadLetters) {
    DefaultMessageListenerContainer container = new DefaultMessageListenerContainer();
    container.setConnectionFactory(unwrap(connectionFactory));
    container.setDestinationName(BrokerConfiguration.DEAD_LETTER);
    container.setSessionTransacted(true);
    container.setConcurrentConsumers(1);
    container.setCacheLevel(DefaultMessageListenerContainer.CACHE_CONSUMER);
    container.setRecoveryInterval(DEAD_LETTER_RECOVERY.toMillis());
    container.setMessageListener(deadLetters);
    container.setErrorHandler(
        e ->
            log.warn(
                "Dead letter not recorded, the broker hands it out again: {}",
                e.getClass().getSimpleName()));
    return container;
  }

  private static java.util.Set<String> queueConsumers(AgencyRegistry agencies) {
    return agencies.all().stream()
        .filter(a -> a.deliveryMode() == HubProperties.DeliveryMode.JMS)
        .map(Agency::code)
        .collect(Collectors.toSet());
  }

  /** The broker's own factory: a listener container keeps its connection and consumer itself. */
  private static ConnectionFactory unwrap(ConnectionFactory connectionFactory) {
    return connectionFactory instanceof CachingConnectionFactory caching
            && caching.getTargetConnectionFactory() != null
        ? caching.getTargetConnectionFactory()
        : connectionFactory;
  }
}
