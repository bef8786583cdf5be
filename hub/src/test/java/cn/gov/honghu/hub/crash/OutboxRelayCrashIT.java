package cn.gov.honghu.hub.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.agency.ApiKeys;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.HubProcess;
import cn.gov.honghu.hub.support.Messages;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The outbox relay's one dangerous window: the batch is committed on the broker, the outbox rows
 * are not yet deleted. A fault hook halts the packaged hub exactly there (as a kill -9 would);
 * after the restart the relay sends the batch again, and the broker's persisted duplicate-id cache
 * must drop the copies. A jms agency's queue must then hold every accepted delivery exactly once.
 */
class OutboxRelayCrashIT {

  private static final int MESSAGES = 40;
  private static final String JMS_AGENCY = "procuratorate";
  private static final String JMS_USER = "procuratorate-broker";
  private static final String JMS_PASSWORD = "procuratorate-broker-secret";

  @TempDir Path dataDir;

  @Test
  void shouldPublishEveryDeliveryExactlyOnceWhenTheHubDiesBetweenBrokerCommitAndOutboxDelete()
      throws Exception {
    int brokerPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      brokerPort = socket.getLocalPort();
    }
    Path config = deployment();
    List<String> hubArgs =
        List.of(
            "--spring.config.additional-location=file:" + config,
            "--hub.broker.acceptor-url=tcp://127.0.0.1:" + brokerPort);
    List<String> accepted = new ArrayList<>();
    int sent = 0;
    HubClient client;

    // given: a hub whose relay waits 3 s between runs and halts right after its broker commit
    try (HubProcess hub = new HubProcess(dataDir)) {
      List<String> slowRelay = new ArrayList<>(hubArgs);
      slowRelay.add("--hub.broker.relay-interval=PT3S");
      hub.withArgs(List.of("-Dhub.fault.halt-after-publish=true"), slowRelay).start();
      client = new HubClient(hub.baseUrl());
      for (int i = 0; i < MESSAGES; i++) {
        ObjectNode transfer =
            Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
        sent++;
        try {
          Answer answer = post(client, transfer);
          if (answer.status() == 202) {
            accepted.add(transfer.get("messageId").asString());
          }
        } catch (RuntimeException halted) {
          break; // the relay already ran and halted the hub
        }
      }

      // when: the relay publishes the batch and the hub halts before deleting the rows
      int exit = hub.awaitExit(Duration.ofSeconds(30));
      assertThat(exit).as("halted by the fault hook").isEqualTo(137);

      // and the hub restarts without the fault; its relay sends the same batch again
      hub.withArgs(List.of(), hubArgs).start();

      // then: once the hub has relayed everything (its own state: every delivery to the jms
      // agency DELIVERED, which the relay commits with the deletion of the outbox row), the
      // agency's queue holds each accepted delivery once
      awaitRelayed(client, accepted);
      Map<String, Integer> received = consumeAll(brokerPort, accepted.size());
      Set<String> deliveryIds = new HashSet<>();
      int copies = 0;
      for (int count : received.values()) {
        copies += count;
      }
      deliveryIds.addAll(received.keySet());
      long lost = accepted.stream().filter(id -> !received.containsKey(id)).count();
      long doubled = received.values().stream().filter(c -> c > 1).count();
      System.out.printf(
          "outbox relay crash: sent=%d accepted=%d published=%d lost=%d doubled=%d%n",
          sent, accepted.size(), copies, lost, doubled);
      assertThat(accepted).isNotEmpty();
      assertThat(lost).isZero();
      assertThat(doubled).isZero();
      assertThat(deliveryIds).hasSize(accepted.size());
      // and the queue counts as the jms agency's delivery: the sender sees it DELIVERED
      JsonNode status = client.get("agriculture", "/api/v1/messages/" + accepted.get(0)).json();
      assertThat(status.get("deliveries").toString())
          .contains("\"recipient\":\"procuratorate\"", "\"state\":\"DELIVERED\"");
    }
  }

  /**
   * Waits until the hub has nothing left to relay for these messages: the sender's status view
   * shows the jms agency's delivery of each DELIVERED. The relay sets that state in the database
   * transaction that deletes the outbox row, after the broker commit, so from then on the queue's
   * content is final: the relay sends none of these again.
   */
  private static void awaitRelayed(HubClient client, List<String> messageIds) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> messageIds.stream().allMatch(id -> relayed(client, id)));
  }

  private static boolean relayed(HubClient client, String messageId) {
    Answer status = client.get("agriculture", "/api/v1/messages/" + messageId);
    if (status.status() != 200) {
      return false;
    }
    for (JsonNode delivery : status.get("deliveries")) {
      if (JMS_AGENCY.equals(delivery.get("recipient").asString())) {
        return "DELIVERED".equals(delivery.get("state").asString());
      }
    }
    return false;
  }

  /**
   * Receives everything from the agency's queue, as the agency with its broker account, after the
   * hub has relayed it all ({@link #awaitRelayed}); counts copies per messageId. Artemis answers
   * {@code receiveNoWait} after a round trip to the broker (a forced delivery), so an empty answer
   * means the queue is empty, not that a copy is late: no quiet period is needed.
   */
  private static Map<String, Integer> consumeAll(int brokerPort, int expected) throws Exception {
    Map<String, Integer> copies = new HashMap<>();
    try (ActiveMQConnectionFactory factory =
            new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
        Connection connection = factory.createConnection(JMS_USER, JMS_PASSWORD)) {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer =
          session.createConsumer(session.createQueue("hub.delivery." + JMS_AGENCY));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (copies.size() < expected && System.nanoTime() < deadline) {
        Message message = consumer.receive(1_000);
        if (message != null) {
          copies.merge(message.getStringProperty("messageId"), 1, Integer::sum);
        }
      }
      for (Message message = consumer.receiveNoWait();
          message != null;
          message = consumer.receiveNoWait()) {
        copies.merge(message.getStringProperty("messageId"), 1, Integer::sum);
      }
    }
    return copies;
  }

  private static Answer post(HubClient client, ObjectNode message) {
    return client.postWithKey(
        HubClient.key("agriculture"),
        "/api/v1/messages",
        "application/json",
        HubClient.JSON.writeValueAsString(message).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A deployment whose procuratorate consumes its broker queue (delivery mode jms, with its broker
   * account).
   */
  private Path deployment() throws Exception {
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
      yaml.append("    - code: ")
          .append(agency[0])
          .append('\n')
          .append("      name: ")
          .append(agency[0])
          .append('\n')
          .append("      kind: ")
          .append(agency[1])
          .append('\n')
          .append("      api-key-sha256: ")
          .append(ApiKeys.sha256Hex(HubClient.key(agency[0])))
          .append('\n')
          .append("      delivery: { mode: ")
          .append(agency[2]);
      if (JMS_AGENCY.equals(agency[0])) {
        yaml.append(", user: ").append(JMS_USER).append(", password: ").append(JMS_PASSWORD);
      }
      yaml.append(" }\n");
    }
    yaml.append("  admins:\n    - name: ops\n      api-key-sha256: ")
        .append(ApiKeys.sha256Hex("ops-test-key"))
        .append('\n');
    Path file = dataDir.resolve("deployment.yml");
    Files.createDirectories(dataDir);
    Files.writeString(file, yaml.toString());
    return file;
  }
}
