package cn.gov.honghu.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stops the hub and starts it again on the same data (the embedded file database, or PostgreSQL
 * when HUB_TEST_DB_URL is set): dedup still holds, unacknowledged deliveries are still there, and
 * nothing is doubled.
 */
class RestartTest {

  @TempDir Path dataDir;

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(HubApplication.class)
        .profiles("test")
        // Command-line arguments: they win over application-test.yml (default properties don't).
        .run("--server.port=0", "--hub.data-dir=" + dataDir);
  }

  private static HubClient client(ConfigurableApplicationContext context) {
    return new HubClient(((WebServerApplicationContext) context).getWebServer().getPort());
  }

  @Test
  void shouldKeepDedupAndUnacknowledgedDeliveriesWhenTheHubRestarts() {
    // given: three accepted transfers, one of them pulled and acknowledged by the police
    List<ObjectNode> sent = new ArrayList<>();
    String acknowledgedMessage;
    try (ConfigurableApplicationContext first = start()) {
      HubClient hub = client(first);
      for (int i = 0; i < 3; i++) {
        ObjectNode transfer =
            Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
        assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
        sent.add(transfer);
      }
      acknowledgedMessage = sent.get(0).get("messageId").asString();
      String deliveryId =
          deliveryOf(hub, "police", acknowledgedMessage).get("deliveryId").asString();
      assertThat(
              hub.postWithKey(
                      HubClient.key("police"),
                      "/api/v1/inbox/" + deliveryId + "/ack",
                      "application/json",
                      new byte[0])
                  .status())
          .isEqualTo(204);
    }

    // when: the hub starts again on the same data
    try (ConfigurableApplicationContext second = start()) {
      HubClient hub = client(second);

      // then: re-posting every message is a duplicate, routed nowhere again
      for (ObjectNode message : sent) {
        Answer again = hub.post("agriculture", message);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.get("status").asString()).isEqualTo("DUPLICATE");
      }
      // and the unacknowledged deliveries are still in the inbox, each exactly once
      for (ObjectNode message : sent.subList(1, 3)) {
        String id = message.get("messageId").asString();
        assertThat(deliveryOf(hub, "police", id).get("state").asString()).isEqualTo("QUEUED");
        assertThat(deliveryOf(hub, "procuratorate", id).get("state").asString())
            .isEqualTo("QUEUED");
        assertThat(hub.get("agriculture", "/api/v1/messages/" + id).get("deliveries").size())
            .isEqualTo(2);
      }
      // and the acknowledged one stays acknowledged
      assertThat(deliveryOf(hub, "police", acknowledgedMessage).get("state").asString())
          .isEqualTo("ACKNOWLEDGED");
    }
  }

  /** The recipient's own delivery of a message, as GET /api/v1/messages/{id} shows it. */
  private static JsonNode deliveryOf(HubClient hub, String agency, String messageId) {
    JsonNode deliveries = hub.get(agency, "/api/v1/messages/" + messageId).get("deliveries");
    assertThat(deliveries.size()).as("deliveries of %s to %s", messageId, agency).isEqualTo(1);
    return deliveries.get(0);
  }
}
