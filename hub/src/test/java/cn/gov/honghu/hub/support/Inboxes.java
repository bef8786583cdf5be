package cn.gov.honghu.hub.support;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.HubClient.Answer;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Finding one delivery in an agency's pull inbox over HTTP. */
public final class Inboxes {

  private Inboxes() {}

  /**
   * The pulled delivery that matches, or null. The test database is shared, so older deliveries of
   * other tests come first in the inbox; they are acknowledged to reach this one.
   */
  public static JsonNode find(HubClient hub, String agency, Predicate<JsonNode> matching) {
    for (int round = 0; round < 1000; round++) {
      Answer inbox = hub.get(agency, "/api/v1/inbox?limit=500");
      assertThat(inbox.status()).as(inbox.text()).isEqualTo(200);
      JsonNode deliveries = inbox.get("deliveries");
      if (deliveries.isEmpty()) {
        return null;
      }
      ArrayNode others = HubClient.JSON.createArrayNode();
      for (JsonNode delivery : deliveries) {
        if (matching.test(delivery)) {
          return delivery;
        }
        others.add(delivery.get("deliveryId").asString());
      }
      ObjectNode ack = HubClient.JSON.createObjectNode();
      ack.set("deliveryIds", others);
      assertThat(hub.post(agency, "/api/v1/inbox/ack", ack).status()).isEqualTo(200);
    }
    return null;
  }

  /** The pulled delivery of one message, or null. */
  public static JsonNode ofMessage(HubClient hub, String agency, String messageId) {
    return find(hub, agency, d -> messageId.equals(d.get("messageId").asString()));
  }
}
