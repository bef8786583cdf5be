package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.connectors.jms.AgencyQueueSecurity;
import cn.gov.honghu.connectors.jms.AgencyQueueSecurity.Account;
import cn.gov.honghu.hub.config.HubConfigurationCheck;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import cn.gov.honghu.hub.config.InvalidHubConfigurationException;
import java.time.Duration;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.artemis.autoconfigure.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The embedded broker's settings, chosen on purpose (README "Broker"), and its security (README
 * "Delivery by JMS"). An external broker gets the same settings from its own broker.xml
 * (docker-compose.yml mounts one) and its users from its own login configuration.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

  /** Every hub address: delivery queues per agency ({@code hub.delivery.<agency>}). */
  static final String HUB_ADDRESSES = "hub.#";

  static final String DEAD_LETTER = "hub.dead-letter";

  /** In memory per address before paging to disk; a slow agency never exhausts the heap. */
  static final long MAX_SIZE_BYTES = 32L * 1024 * 1024;

  /** Broker-side duplicate detection window: far more than one relay batch can leave behind. */
  static final int DUPLICATE_ID_CACHE = 100_000;

  /**
   * How the broker redelivers a message a consumer rolled back: after {@code delay}, doubling up to
   * {@code maxDelay}; after {@code maxDeliveryAttempts} deliveries it moves the message to {@code
   * hub.dead-letter}.
   */
  public record Redelivery(int maxDeliveryAttempts, Duration delay, Duration maxDelay) {

    /** The defaults of {@code hub.broker.*}, also those of the external broker's broker.xml. */
    public static final Redelivery DEFAULTS =
        new Redelivery(10, Duration.ofSeconds(1), Duration.ofSeconds(60));

    static Redelivery of(HubProperties.Broker broker) {
      return new Redelivery(
          broker.maxDeliveryAttempts(), broker.redeliveryDelay(), broker.maxRedeliveryDelay());
    }
  }

  @Bean
  ArtemisConfigurationCustomizer hubBrokerSettings(HubProperties hub) {
    return configuration -> {
      applyHubSettings(configuration, HUB_ADDRESSES, Redelivery.of(hub.broker()));
      if (hub.broker().acceptorUrl() != null && !hub.broker().acceptorUrl().isBlank()) {
        try {
          configuration.addAcceptorConfiguration("hub-tcp", hub.broker().acceptorUrl());
        } catch (Exception e) {
          throw new IllegalStateException("hub.broker.acceptor-url: not a valid acceptor URL", e);
        }
      }
    };
  }

  /**
   * Secures the embedded broker with the jms connector's {@link AgencyQueueSecurity}. A
   * post-processor, because Spring Boot offers no hook for the embedded broker's security manager,
   * and connects to it in-vm without {@code spring.artemis.user}. Static, and the properties
   * resolved late: post-processors are created before configuration properties are bound.
   */
  @Bean
  static BeanPostProcessor embeddedBrokerSecurity(
      ObjectProvider<HubProperties> hub, Environment environment) {
    return new EmbeddedBrokerSecurity(hub, environment);
  }

  /**
   * The durability and address settings of the hub's broker, for addresses matching {@code match};
   * the benchmark's broker ceiling applies the same ones.
   */
  public static void applyHubSettings(
      org.apache.activemq.artemis.core.config.Configuration configuration, String match) {
    applyHubSettings(configuration, match, Redelivery.DEFAULTS);
  }

  /** The same, with the given redelivery settings ({@code hub.broker.*}). */
  public static void applyHubSettings(
      org.apache.activemq.artemis.core.config.Configuration configuration,
      String match,
      Redelivery redelivery) {
    // Persistent, with the duplicate-id cache in the journal: a relay batch sent again after a
    // crash (published, but the outbox rows not yet deleted) is dropped by the broker.
    configuration.setPersistenceEnabled(true);
    configuration.setPersistIDCache(true);
    configuration.setIDCacheSize(DUPLICATE_ID_CACHE);
    configuration.setJournalSyncTransactional(true);
    configuration.setJournalSyncNonTransactional(true);
    configuration.addAddressSetting(
        match,
        new AddressSettings()
            .setMaxSizeBytes(MAX_SIZE_BYTES)
            .setPageSizeBytes(4 * 1024 * 1024)
            .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
            .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of(DEAD_LETTER))
            .setAutoCreateDeadLetterResources(false)
            .setMaxDeliveryAttempts(redelivery.maxDeliveryAttempts())
            .setRedeliveryDelay(redelivery.delay().toMillis())
            .setRedeliveryMultiplier(2.0)
            .setMaxRedeliveryDelay(redelivery.maxDelay().toMillis())
            .setAutoCreateQueues(true)
            .setAutoCreateAddresses(true)
            .setAutoDeleteQueues(false)
            .setAutoDeleteAddresses(false)
            .setDefaultAddressRoutingType(RoutingType.ANYCAST)
            .setDefaultQueueRoutingType(RoutingType.ANYCAST));
    // The dead letters themselves are never dead-lettered: the hub's consumer rolls one back while
    // its database cannot record it, and takes it again after the redelivery delay (merged with
    // the settings above, which Artemis applies to the less specific match).
    configuration.addAddressSetting(DEAD_LETTER, new AddressSettings().setMaxDeliveryAttempts(-1));
    // Declared, since it is not auto-created: without a queue bound to it, Artemis drops a message
    // that has used up its delivery attempts.
    configuration.addAddressConfiguration(
        new CoreAddressConfiguration()
            .setName(DEAD_LETTER)
            .addRoutingType(RoutingType.ANYCAST)
            .addQueueConfiguration(
                QueueConfiguration.of(DEAD_LETTER)
                    .setAddress(DEAD_LETTER)
                    .setRoutingType(RoutingType.ANYCAST)));
  }

  private static final class EmbeddedBrokerSecurity implements BeanPostProcessor {

    private final ObjectProvider<HubProperties> hub;
    private final Environment environment;

    EmbeddedBrokerSecurity(ObjectProvider<HubProperties> hub, Environment environment) {
      this.hub = hub;
      this.environment = environment;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
      if (bean instanceof EmbeddedActiveMQ broker) {
        AgencyQueueSecurity security = security();
        broker.setSecurityManager(security.securityManager());
        security.applyTo(broker.getConfiguration());
      } else if (bean instanceof CachingConnectionFactory caching
          && caching.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory factory) {
        signIn(factory);
      } else if (bean instanceof ActiveMQConnectionFactory factory) {
        signIn(factory);
      }
      return bean;
    }

    /** The hub's user and the jms agencies' accounts, every missing value named by its key. */
    private AgencyQueueSecurity security() {
      HubProperties properties = hub.getObject();
      // The broker may start before the agency registry runs the same check.
      HubConfigurationCheck.check(properties);
      String user = environment.getProperty("spring.artemis.user");
      String password = environment.getProperty("spring.artemis.password");
      if (user == null || user.isBlank()) {
        throw new InvalidHubConfigurationException(
            List.of(
                "spring.artemis.user: the embedded broker is secured and needs the hub's user"
                    + " (for an external broker set spring.artemis.embedded.enabled=false)"));
      }
      if (password == null || password.isBlank()) {
        throw new InvalidHubConfigurationException(
            List.of("spring.artemis.password: required with spring.artemis.user"));
      }
      List<Account> agencies =
          properties.agencies().stream()
              .filter(a -> a.delivery().mode() == DeliveryMode.JMS)
              .map(a -> new Account(a.code(), a.delivery().user(), a.delivery().password()))
              .toList();
      return new AgencyQueueSecurity(user, password, agencies);
    }

    /** The in-vm factory has no user; a native one got it from Spring Boot already. */
    private void signIn(ActiveMQConnectionFactory factory) {
      String user = environment.getProperty("spring.artemis.user");
      if (factory.getUser() == null && user != null && !user.isBlank()) {
        factory.setUser(user);
        factory.setPassword(environment.getProperty("spring.artemis.password"));
      }
    }
  }
}
