package cn.gov.honghu.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.agency.ApiKeys;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A jms delivery the broker dead-lettered reaches the failed store (issue 14): the procuratorate
 * receives by jms and its consumer rolls one delivery back until the broker (here: 3 attempts, no
 * redelivery delay) moves it to {@code hub.dead-letter}; the hub then shows it as failed with the
 * broker's reason and counts it, an admin replays it, and the agency receives it again with the
 * same deliveryId. A dead letter without deliveryId is dropped without harm.
 */
@ExtendWith(OutputCaptureExtension.class)
class JmsDeadLetterTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String ADMIN = "ops-test-key";
  private static final String QUEUE = "hub.delivery.procuratorate";
  private static final int MAX_DELIVERY_ATTEMPTS = 3;

  @TempDir static Path dataDir;
  private static ConfigurableApplicationContext context;
  private static ActiveMQConnectionFactory agencies;
  private static HubClient hub;

  @BeforeAll
  static void startHub() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String brokerUrl = "tcp://127.0.0.1:" + port;
    context = start(dataDir, "--hub.broker.acceptor-url=" + brokerUrl);
    agencies = new ActiveMQConnectionFactory(brokerUrl);
    hub = new HubClient(((WebServerApplicationContext) context).getWebServer().getPort());
  }

  @AfterAll
  static void stopHub() {
    if (agencies != null) {
      agencies.close();
    }
    if (context != null) {
      context.close();
    }
  }

  @Test
  void shouldFailADeadLetteredDeliveryAndPublishItAgainWhenReplayed() throws Exception {
    // given: a transfer to the procuratorate, relayed to its queue
    String deliveryId = relayedTransfer();

    // when: the procuratorate's consumer rolls it back every time, until the broker gives up
    rollBackUntilDeadLettered(deliveryId);

    // then: the hub took the dead letter into the failed store, with the broker's reason
    await().atMost(PATIENCE).until(() -> "FAILED".equals(state(deliveryId)));
    String reason =
        "dead-lettered by the broker after "
            + MAX_DELIVERY_ATTEMPTS
            + " delivery attempts on queue "
            + QUEUE;
    Answer list = hub.getWithKey(ADMIN, "/admin/v1/failed?agency=procuratorate");
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    JsonNode item = find(list.get("items"), deliveryId);
    assertThat(item).as(list.text()).isNotNull();
    assertThat(item.get("lastError").asString()).isEqualTo(reason);
    assertThat(item.get("type").asString()).isEqualTo("CASE_TRANSFER");
    assertThat(item.get("failedAt")).isNotNull();
    Answer detail = hub.getWithKey(ADMIN, "/admin/v1/failed/" + deliveryId);
    assertThat(detail.status()).as(detail.text()).isEqualTo(200);
    JsonNode attempt = detail.get("attempts").get(detail.get("attempts").size() - 1);
    assertThat(attempt.get("outcome").asString()).isEqualTo(DeadLetters.OUTCOME);
    assertThat(attempt.get("error").asString()).isEqualTo(reason);
    assertThat(events(deliveryId, "FAILED")).isEqualTo(1);
    // and it is counted as failed
    await().atMost(PATIENCE).until(() -> failedGauge("procuratorate") == 1.0);
    // and the same dead letter once more (a crash before its acknowledgement) changes nothing
    assertThat(context.getBean(DeadLetters.class).record(deliveryId, 0, QUEUE)).isFalse();
    assertThat(events(deliveryId, "FAILED")).isEqualTo(1);

    // when: an admin replays it
    Answer replay =
        hub.postWithKey(
            ADMIN,
            "/admin/v1/failed/" + deliveryId + "/replay",
            "application/json",
            "{\"reason\":\"consumer fixed\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(replay.status()).as(replay.text()).isEqualTo(200);
    assertThat(replay.get("replayed").asBoolean()).isTrue();

    // then: the agency receives it again, with the same deliveryId, and can take it
    TextMessage again = receiveAgain(deliveryId);
    assertThat(again).as("replayed delivery %s", deliveryId).isNotNull();
    assertThat(HubClient.JSON.readTree(again.getText()).get("deliveryId").asString())
        .isEqualTo(deliveryId);
    assertThat(again.getIntProperty(OutboxRelay.PUBLICATION)).isEqualTo(1);
    assertThat(again.getStringProperty(OutboxRelay.DUPLICATE_ID)).isEqualTo(deliveryId + ":1");
    await().atMost(PATIENCE).until(() -> "DELIVERED".equals(state(deliveryId)));
    assertThat(events(deliveryId, "REPLAYED")).isEqualTo(1);
    // a stale copy of the first publication's dead letter does not fail the replayed delivery
    assertThat(context.getBean(DeadLetters.class).record(deliveryId, 0, QUEUE)).isFalse();
    assertThat(state(deliveryId)).isEqualTo("DELIVERED");
    await().atMost(PATIENCE).until(() -> failedGauge("procuratorate") == 0.0);
  }

  @Test
  void shouldDropADeadLetterWithoutDeliveryIdAndLogItsIdOnly(CapturedOutput output)
      throws Exception {
    // given: dead letters the hub cannot place: one without deliveryId, one with an unknown one
    String body = "{\"party\": \"张三\", \"idNumber\": \"110101199003077777\"}";
    String jmsId;
    ConnectionFactory broker = context.getBean(ConnectionFactory.class);
    try (Connection connection = broker.createConnection()) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer =
          session.createProducer(session.createQueue(BrokerConfiguration.DEAD_LETTER));
      TextMessage anonymous = session.createTextMessage(body);
      producer.send(anonymous);
      jmsId = anonymous.getJMSMessageID();
      TextMessage unknown = session.createTextMessage(body);
      unknown.setStringProperty("deliveryId", "00000000-0000-0000-0000-000000000000");
      producer.send(unknown);
    }

    // then: both leave the dead-letter queue, the first logged by its id and never its body
    await().atMost(PATIENCE).until(JmsDeadLetterTest::deadLetterQueueEmpty);
    await().atMost(PATIENCE).until(() -> output.getAll().contains(jmsId));
    assertThat(output.getAll()).doesNotContain("110101199003077777", "张三");
    assertThat(
            context
                .getBean(JdbcTemplate.class)
                .queryForObject(
                    "SELECT COUNT(*) FROM delivery_attempt WHERE delivery_id ="
                        + " '00000000-0000-0000-0000-000000000000'",
                    Integer.class))
        .isZero();
  }

  @Test
  void shouldPublishADeadLetteredDeliveryAgainWhenReplayedByFilter() throws Exception {
    // given: a dead-lettered delivery in the failed store
    String deliveryId = relayedTransfer();
    rollBackUntilDeadLettered(deliveryId);
    await().atMost(PATIENCE).until(() -> "FAILED".equals(state(deliveryId)));

    // when: an admin replays the procuratorate's dead letters by filter
    Answer replay =
        hub.postWithKey(
            ADMIN,
            "/admin/v1/failed/replay",
            "application/json",
            ("{\"agency\": \"procuratorate\", \"error\": \"dead-lettered\","
                    + " \"reason\": \"consumer fixed\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(replay.status()).as(replay.text()).isEqualTo(200);
    assertThat(replay.get("queued").asInt()).isEqualTo(1);

    // then: the agency receives it again with the same deliveryId
    TextMessage again = receiveAgain(deliveryId);
    assertThat(again).as("replayed delivery %s", deliveryId).isNotNull();
    assertThat(again.getIntProperty(OutboxRelay.PUBLICATION)).isEqualTo(1);
    await().atMost(PATIENCE).until(() -> "DELIVERED".equals(state(deliveryId)));
  }

  /** Posts a transfer routed to the procuratorate and waits until it is on its queue. */
  private static String relayedTransfer() {
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    String deliveryId = deliveryIdOf(transfer.get("messageId").asString(), "procuratorate");
    await().atMost(PATIENCE).until(() -> "DELIVERED".equals(state(deliveryId)));
    return deliveryId;
  }

  /** As the agency: rolls the delivery back at every delivery until the broker gives up. */
  private static void rollBackUntilDeadLettered(String deliveryId) throws Exception {
    int rollbacks = 0;
    try (Connection connection = connectAgency()) {
      Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (rollbacks < MAX_DELIVERY_ATTEMPTS && System.nanoTime() < deadline) {
        Message message = consumer.receive(1_000);
        if (message == null) {
          continue;
        }
        if (deliveryId.equals(message.getStringProperty("deliveryId"))) {
          rollbacks++;
          session.rollback();
        } else {
          session.commit();
        }
      }
    }
    assertThat(rollbacks).isEqualTo(MAX_DELIVERY_ATTEMPTS);
  }

  /** As the agency: takes everything on its queue until the delivery comes; null if it does not. */
  private static TextMessage receiveAgain(String deliveryId) throws Exception {
    TextMessage again = null;
    try (Connection connection = connectAgency()) {
      Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (again == null && System.nanoTime() < deadline) {
        Message message = consumer.receive(1_000);
        if (message != null && deliveryId.equals(message.getStringProperty("deliveryId"))) {
          again = (TextMessage) message;
        }
        if (message != null) {
          session.commit();
        }
      }
    }
    return again;
  }

  private static boolean deadLetterQueueEmpty() throws Exception {
    ConnectionFactory broker = context.getBean(ConnectionFactory.class);
    try (Connection connection = broker.createConnection()) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue queue = session.createQueue(BrokerConfiguration.DEAD_LETTER);
      try (QueueBrowser browser = session.createBrowser(queue)) {
        return !browser.getEnumeration().hasMoreElements();
      }
    }
  }

  private static double failedGauge(String agency) {
    String text = hub.get(null, "/actuator/prometheus").text();
    Matcher matcher =
        Pattern.compile(
                "(?m)^hub_delivery_failed\\{agency=\"" + Pattern.quote(agency) + "\"} (\\S+)$")
            .matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }

  private static JsonNode find(JsonNode items, String deliveryId) {
    for (JsonNode item : items) {
      if (deliveryId.equals(item.get("id").asString())) {
        return item;
      }
    }
    return null;
  }

  private static String deliveryIdOf(String messageId, String recipient) {
    return context
        .getBean(JdbcTemplate.class)
        .queryForObject(
            "SELECT delivery_id FROM delivery WHERE message_id = ? AND recipient = ?",
            String.class,
            messageId,
            recipient);
  }

  private static String state(String deliveryId) {
    return context
        .getBean(JdbcTemplate.class)
        .queryForObject(
            "SELECT state FROM delivery WHERE delivery_id = ?", String.class, deliveryId);
  }

  private static int events(String deliveryId, String kind) {
    return context
        .getBean(JdbcTemplate.class)
        .queryForObject(
            "SELECT COUNT(*) FROM hub_event WHERE delivery_id = ? AND kind = ?",
            Integer.class,
            deliveryId,
            kind);
  }

  private static Connection connectAgency() throws Exception {
    Connection connection =
        agencies.createConnection("procuratorate-broker", "procuratorate-broker-secret");
    connection.start();
    return connection;
  }

  /**
   * The hub with the procuratorate receiving by jms, on its own embedded database, with a broker
   * that dead-letters after {@link #MAX_DELIVERY_ATTEMPTS} deliveries without delay.
   */
  private static ConfigurableApplicationContext start(Path dir, String... extra) throws Exception {
    Files.createDirectories(dir);
    StringBuilder yaml = new StringBuilder("hub:\n  agencies:\n");
    for (String[] agency :
        new String[][] {
          {"police", "judicial", "pull"},
          {"procuratorate", "judicial", "jms"},
          {"court", "judicial", "pull"},
          {"justice", "administrative", "pull"},
          {"agriculture", "administrative", "pull"},
          // The rules file copies market on TRADE-1; a deployment must have every agency it names.
          {"market", "administrative", "pull"}
        }) {
      String code = agency[0];
      yaml.append("    - code: ").append(code).append('\n');
      yaml.append("      name: ").append(code).append('\n');
      yaml.append("      kind: ").append(agency[1]).append('\n');
      yaml.append("      api-key-sha256: ")
          .append(ApiKeys.sha256Hex(HubClient.key(code)))
          .append('\n');
      yaml.append("      delivery:\n        mode: ").append(agency[2]).append('\n');
      if ("jms".equals(agency[2])) {
        yaml.append("        user: ").append(code).append("-broker\n");
        yaml.append("        password: ").append(code).append("-broker-secret\n");
      }
    }
    Path deployment = dir.resolve("deployment.yml");
    Files.writeString(deployment, yaml.toString());
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--server.port=0",
                "--hub.data-dir=" + dir,
                // It replaces the test deployment's agency list: lists are never merged.
                "--spring.config.additional-location=file:" + deployment,
                // Its own embedded database even in CI (see JmsAgencySecurityTest).
                "--spring.datasource.url=",
                "--hub.broker.max-delivery-attempts=" + MAX_DELIVERY_ATTEMPTS,
                "--hub.broker.redelivery-delay=PT0S",
                "--hub.broker.max-redelivery-delay=PT0S"));
    args.addAll(List.of(extra));
    return new SpringApplicationBuilder(HubApplication.class)
        .profiles("test")
        .run(args.toArray(String[]::new));
  }
}
