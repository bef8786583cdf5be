package cn.gov.honghu.hub.config;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.artemis.autoconfigure.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded broker's settings, chosen on purpose (README "Broker"). An external broker gets the
 * same address settings from its own broker.xml (docker-compose.yml mounts one).
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

  @Bean
  ArtemisConfigurationCustomizer hubBrokerSettings(HubProperties hub) {
    return configuration -> {
      applyHubSettings(configuration, HUB_ADDRESSES);
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
   * The durability and address settings of the hub's broker, for addresses matching {@code match};
   * the benchmark's broker ceiling applies the same ones.
   */
  public static void applyHubSettings(
      org.apache.activemq.artemis.core.config.Configuration configuration, String match) {
    // Persistent, with the duplicate-id cache in the journal: a relay batch sent again after a
    // crash (published, but the outbox rows not yet deleted) is dropped by the broker.
    configuration.setPersistenceEnabled(true);
    configuration.setPersistIDCache(true);
    configuration.setIDCacheSize(DUPLICATE_ID_CACHE);
    configuration.setJournalSyncTransactional(true);
    configuration.setJournalSyncNonTransactional(true);
    configuration.setSecurityEnabled(false); // per-agency broker security: the jms connector
    configuration.addAddressSetting(
        match,
        new AddressSettings()
            .setMaxSizeBytes(MAX_SIZE_BYTES)
            .setPageSizeBytes(4 * 1024 * 1024)
            .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
            .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of(DEAD_LETTER))
            .setAutoCreateDeadLetterResources(false)
            .setMaxDeliveryAttempts(10)
            .setRedeliveryDelay(1_000)
            .setRedeliveryMultiplier(2.0)
            .setMaxRedeliveryDelay(60_000)
            .setAutoCreateQueues(true)
            .setAutoCreateAddresses(true)
            .setAutoDeleteQueues(false)
            .setAutoDeleteAddresses(false)
            .setDefaultAddressRoutingType(RoutingType.ANYCAST)
            .setDefaultQueueRoutingType(RoutingType.ANYCAST));
  }
}
