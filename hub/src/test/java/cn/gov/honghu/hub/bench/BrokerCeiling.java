package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.delivery.BrokerConfiguration;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The ceiling: what the raw broker does with the same bodies on this machine. An embedded Artemis
 * in the benchmark's JVM, configured as the hub's embedded broker (Spring Boot's embedded factory
 * plus {@code config/BrokerConfiguration}: persistent, NIO journal, journal synced on every commit
 * and every non-transactional send, persisted duplicate-id cache, the same address settings), in a
 * temporary directory. {@code producers} threads send the bodies as persistent messages (each send
 * blocks until the journal has synced it, as a durable 202 must), one consumer per agency queue
 * receives them concurrently (auto-acknowledge). Throughput counts messages from the first send to
 * the last receive.
 */
final class BrokerCeiling implements AutoCloseable {

  /** The figures of one measurement. */
  record Result(int sent, int received, double seconds) {
    double throughput() {
      return seconds > 0 ? received / seconds : 0;
    }
  }

  private static final AtomicInteger SERVER_IDS = new AtomicInteger(4700);

  private final EmbeddedActiveMQ server;
  private final ConnectionFactory factory;

  BrokerCeiling(Path dir) throws Exception {
    int serverId = SERVER_IDS.incrementAndGet();
    ConfigurationImpl configuration = new ConfigurationImpl();
    // as Spring Boot's ArtemisEmbeddedConfigurationFactory with embedded.persistent=true
    configuration.setSecurityEnabled(false);
    configuration.setPersistenceEnabled(true);
    configuration.setJournalType(JournalType.NIO);
    configuration.setJournalDirectory(dir.resolve("journal").toString());
    configuration.setBindingsDirectory(dir.resolve("bindings").toString());
    configuration.setLargeMessagesDirectory(dir.resolve("largemessages").toString());
    configuration.setPagingDirectory(dir.resolve("paging").toString());
    configuration
        .getAcceptorConfigurations()
        .add(
            new TransportConfiguration(
                InVMAcceptorFactory.class.getName(), Map.of("serverId", serverId)));
    configuration.addAddressConfiguration(
        new CoreAddressConfiguration()
            .setName("DLQ")
            .addRoutingType(RoutingType.ANYCAST)
            .addQueueConfiguration(
                QueueConfiguration.of("DLQ")
                    .setRoutingType(RoutingType.ANYCAST)
                    .setAddress("DLQ")));
    configuration.addAddressConfiguration(
        new CoreAddressConfiguration()
            .setName("ExpiryQueue")
            .addRoutingType(RoutingType.ANYCAST)
            .addQueueConfiguration(
                QueueConfiguration.of("ExpiryQueue")
                    .setRoutingType(RoutingType.ANYCAST)
                    .setAddress("ExpiryQueue")));
    configuration.addAddressSetting(
        "#",
        new AddressSettings()
            .setDeadLetterAddress(SimpleString.of("DLQ"))
            .setExpiryAddress(SimpleString.of("ExpiryQueue")));
    // exactly the hub's broker settings (config/BrokerConfiguration)
    BrokerConfiguration.applyHubSettings(configuration, "bench.#");
    server = new EmbeddedActiveMQ();
    server.setConfiguration(configuration);
    server.start();
    factory = new ActiveMQConnectionFactory("vm://" + serverId);
  }

  /**
   * Sends {@code bodies} round-robin from {@code producers} threads to one queue per agency for
   * {@code duration} or until {@code maxMessages} were sent, and waits (at most {@code
   * drainTimeout}) until the consumers received them all.
   */
  Result measure(
      List<byte[]> bodies,
      List<String> agencies,
      int producers,
      Duration duration,
      int maxMessages,
      Duration drainTimeout)
      throws Exception {
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger received = new AtomicInteger();
    AtomicLong lastReceive = new AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    List<Connection> connections = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    try {
      for (String agency : agencies) {
        Connection connection = factory.createConnection();
        connections.add(connection);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(queue(agency)));
        consumer.setMessageListener(
            message -> {
              received.incrementAndGet();
              lastReceive.accumulateAndGet(System.nanoTime(), Math::max);
            });
        connection.start();
      }
      AtomicInteger issued = new AtomicInteger();
      long start = System.nanoTime();
      long deadline = start + duration.toNanos();
      for (int p = 0; p < producers; p++) {
        Connection connection = factory.createConnection();
        connections.add(connection);
        Thread producer =
            new Thread(
                () -> {
                  try {
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    List<MessageProducer> byAgency = new ArrayList<>();
                    for (String agency : agencies) {
                      MessageProducer producerOfAgency =
                          session.createProducer(session.createQueue(queue(agency)));
                      producerOfAgency.setDeliveryMode(DeliveryMode.PERSISTENT);
                      byAgency.add(producerOfAgency);
                    }
                    int i;
                    while (System.nanoTime() < deadline
                        && (i = issued.getAndIncrement()) < maxMessages) {
                      BytesMessage message = session.createBytesMessage();
                      message.writeBytes(bodies.get(i % bodies.size()));
                      byAgency.get(i % byAgency.size()).send(message);
                      sent.incrementAndGet();
                    }
                  } catch (JMSException e) {
                    failures.incrementAndGet();
                  }
                },
                "ceiling-producer-" + p);
        threads.add(producer);
        producer.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      try {
        org.awaitility.Awaitility.await()
            .atMost(drainTimeout)
            .pollInterval(java.time.Duration.ofMillis(5))
            .until(() -> received.get() >= sent.get());
      } catch (org.awaitility.core.ConditionTimeoutException incomplete) {
        // the caller compares sent and received
      }
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " ceiling producers failed");
      }
      long end = received.get() > 0 ? lastReceive.get() : System.nanoTime();
      return new Result(sent.get(), received.get(), (end - start) / 1e9);
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
    }
  }

  private static String queue(String agency) {
    return "bench.delivery." + agency;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
