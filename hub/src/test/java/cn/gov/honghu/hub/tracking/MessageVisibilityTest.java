package cn.gov.honghu.hub.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/messages/{id}} and {@code GET /api/v1/messages} (HUB-SPEC section 3): the
 * sender and the recipients only, each recipient seeing its own delivery, and each agency's list
 * holding its own traffic only.
 */
@ApplicationTest
class MessageVisibilityTest {

  private static final String MESSAGES = "/api/v1/messages";

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  // ---------------------------------------------------------------- one message

  @Test
  void shouldShowEveryDeliveryWhenTheSenderAsks() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    Answer receipt = hub.post("agriculture", transfer);

    // when
    Answer status = hub.get("agriculture", MESSAGES + "/" + id(transfer));

    // then
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.get("messageId").asString()).isEqualTo(id(transfer));
    assertThat(status.get("type").asString()).isEqualTo("CASE_TRANSFER");
    assertThat(status.get("sender").asString()).isEqualTo("agriculture");
    assertThat(status.get("caseNumber").asString()).isEqualTo(caseNumber);
    assertThat(OffsetDateTime.parse(status.get("acceptedAt").asString()))
        .isAfter(OffsetDateTime.now().minusMinutes(5));
    assertThat(status.get("receipt")).isEqualTo(receipt.json());
    JsonNode deliveries = status.get("deliveries");
    assertThat(deliveries).hasSize(2);
    assertThat(recipients(deliveries)).containsExactlyInAnyOrder("police", "procuratorate");
    deliveries.forEach(
        d -> {
          String deliveryId = d.get("deliveryId").asString();
          assertThat(UUID.fromString(deliveryId).toString()).isEqualTo(deliveryId);
          assertThat(d.get("state").asString()).isIn("QUEUED", "DELIVERED", "ACKNOWLEDGED");
          assertThat(d.get("attempts").isInt()).isTrue();
        });
  }

  @Test
  void shouldShowEachRecipientOnlyItsOwnDelivery() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    JsonNode all = hub.get("agriculture", MESSAGES + "/" + id(transfer)).get("deliveries");

    for (String recipient : List.of("police", "procuratorate")) {
      // when
      Answer status = hub.get(recipient, MESSAGES + "/" + id(transfer));

      // then
      assertThat(status.status()).isEqualTo(200);
      assertThat(status.get("sender").asString()).isEqualTo("agriculture");
      assertThat(status.get("deliveries")).hasSize(1);
      JsonNode own = status.get("deliveries").get(0);
      assertThat(own.get("recipient").asString()).isEqualTo(recipient);
      assertThat(own.get("deliveryId").asString()).isEqualTo(deliveryIdOf(all, recipient));
    }
  }

  @Test
  void shouldFollowTheDeliveryFromQueuedToAcknowledgedWhenTheRecipientPullsAndAcks() {
    // given: natural-resources, whose inbox is emptied first
    drainInbox("natural-resources");
    ObjectNode suggestion =
        Messages.of(
            "PROCURATORIAL_SUGGESTION",
            "procuratorate",
            Messages.newCaseNumber(),
            "natural-resources");
    assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
    String path = MESSAGES + "/" + id(suggestion);

    // when
    JsonNode queued = hub.get("procuratorate", path).get("deliveries").get(0);
    Answer pulled = hub.get("natural-resources", "/api/v1/inbox?limit=500");
    JsonNode delivered = hub.get("procuratorate", path).get("deliveries").get(0);
    String deliveryId = queued.get("deliveryId").asString();
    Answer ack =
        hub.postRaw("natural-resources", "/api/v1/inbox/" + deliveryId + "/ack", null, new byte[0]);
    JsonNode acknowledged = hub.get("natural-resources", path).get("deliveries").get(0);

    // then
    assertThat(pulled.text()).contains(deliveryId);
    assertThat(ack.status()).isEqualTo(204);
    assertThat(queued.get("recipient").asString()).isEqualTo("natural-resources");
    assertThat(queued.get("state").asString()).isEqualTo("QUEUED");
    assertThat(queued.get("attempts").asInt()).isZero();
    assertThat(queued.has("lastError")).isFalse();
    assertThat(delivered.get("state").asString()).isEqualTo("DELIVERED");
    assertThat(delivered.get("attempts").asInt()).isEqualTo(1);
    assertThat(acknowledged.get("state").asString()).isEqualTo("ACKNOWLEDGED");
    assertThat(acknowledged.get("deliveryId").asString()).isEqualTo(deliveryId);
  }

  @Test
  void shouldAnswer404WhenTheAgencyIsNoPartyOfTheMessage() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);

    for (String outsider : List.of("court", "environment", "forestry", "justice")) {
      // when
      Answer answer = hub.get(outsider, MESSAGES + "/" + id(transfer));

      // then
      assertThat(answer.status()).as(outsider).isEqualTo(404);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.text()).doesNotContain("agriculture", "police", "CASE_TRANSFER");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"00000000-0000-0000-0000-000000000000", "not-a-uuid", "x%20y"})
  void shouldAnswer404WhenTheMessageIdIsUnknown(String messageId) {
    // when
    Answer answer = hub.get("agriculture", MESSAGES + "/" + messageId);

    // then
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.contentType()).startsWith("application/problem+json");
  }

  @Test
  void shouldAnswer404ForAFreshUuidAnd401WithoutCredentials() {
    // given
    String unknown = UUID.randomUUID().toString();

    // when
    Answer answer = hub.get("agriculture", MESSAGES + "/" + unknown);
    Answer anonymous = hub.get(null, MESSAGES + "/" + unknown);

    // then
    assertThat(answer.status()).isEqualTo(404);
    assertThat(anonymous.status()).isEqualTo(401);
  }

  // ---------------------------------------------------------------- lists

  @Test
  void shouldListOnlyTheCallersOwnTrafficWhenFilteredByCase() {
    // given: agriculture transfers, the police decide, agriculture also sends a penalty decision
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    ObjectNode filing = Messages.of("FILING_DECISION", "police", caseNumber, null);
    ObjectNode penalty = Messages.of("ADMIN_PENALTY_DECISION", "agriculture", caseNumber, null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    assertThat(hub.post("police", filing).status()).isEqualTo(202);
    assertThat(hub.post("agriculture", penalty).status()).isEqualTo(202);

    // when / then
    assertThat(listed("agriculture", "sent", caseNumber))
        .containsExactly(id(transfer), id(penalty));
    assertThat(listed("agriculture", "received", caseNumber)).containsExactly(id(filing));
    assertThat(listed("police", "sent", caseNumber)).containsExactly(id(filing));
    assertThat(listed("police", "received", caseNumber)).containsExactly(id(transfer));
    assertThat(listed("procuratorate", "received", caseNumber))
        .containsExactly(id(transfer), id(filing));
    assertThat(listed("procuratorate", "sent", caseNumber)).isEmpty();
    assertThat(listed("justice", "received", caseNumber)).containsExactly(id(penalty));
    assertThat(listed("court", "sent", caseNumber)).isEmpty();
    assertThat(listed("court", "received", caseNumber)).isEmpty();
    assertThat(listed("environment", "received", caseNumber)).isEmpty();
  }

  @Test
  void shouldFindTheCaseWhenTheFilterSpellsItsNumberDifferently() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);

    // when
    List<String> found =
        listed("agriculture", "sent", " " + caseNumber.replace('〔', '[').replace('〕', '】'));

    // then
    assertThat(found).containsExactly(id(transfer));
  }

  @Test
  void shouldPageTheListWhenTheSizeIsSmallerThanTheTotal() {
    // given
    String caseNumber = Messages.newCaseNumber();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ObjectNode suggestion =
          Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, "water");
      assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
      sent.add(id(suggestion));
    }
    String query = "?direction=sent&caseNumber=" + encode(caseNumber) + "&size=2";

    // when
    Answer first = hub.get("procuratorate", MESSAGES + query + "&page=0");
    Answer second = hub.get("procuratorate", MESSAGES + query + "&page=1");
    Answer beyond = hub.get("procuratorate", MESSAGES + query + "&page=5");

    // then
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.get("total").asLong()).isEqualTo(3);
    assertThat(first.get("page").asInt()).isZero();
    assertThat(first.get("size").asInt()).isEqualTo(2);
    assertThat(first.get("items")).hasSize(2);
    assertThat(second.get("page").asInt()).isEqualTo(1);
    assertThat(second.get("items")).hasSize(1);
    List<String> paged = new ArrayList<>(ids(first));
    paged.addAll(ids(second));
    assertThat(paged).containsExactlyElementsOf(sent);
    assertThat(beyond.get("items")).isEmpty();
    assertThat(beyond.get("total").asLong()).isEqualTo(3);
  }

  @Test
  void shouldWalkTheSameMessagesByCursorAsByPageWhenTheListIsFollowedWithAfter() {
    // given: five messages of one case
    String caseNumber = Messages.newCaseNumber();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ObjectNode suggestion =
          Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, "water");
      assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
      sent.add(id(suggestion));
    }
    String query = MESSAGES + "?direction=sent&caseNumber=" + encode(caseNumber) + "&size=2";

    // when: the pages are followed by their nextCursor
    List<String> walked = new ArrayList<>();
    Answer answer = hub.get("procuratorate", query);
    assertThat(answer.get("total").asLong()).isEqualTo(5);
    walked.addAll(ids(answer));
    int pages = 1;
    while (answer.get("nextCursor") != null && pages < 10) {
      answer = hub.get("procuratorate", query + "&after=" + answer.get("nextCursor").asString());
      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      assertThat(answer.get("total")).as("no count on a cursor page").isNull();
      walked.addAll(ids(answer));
      pages++;
    }

    // then: every message once, in the order accepted, and a cursor is no page number
    assertThat(walked).containsExactlyElementsOf(sent);
    assertThat(pages).isEqualTo(3);
    assertThat(hub.get("procuratorate", query + "&after=bm90LWEtY3Vyc29y").status()).isEqualTo(400);
    assertThat(hub.get("procuratorate", query + "&page=1&after=fDE").status()).isEqualTo(400);
  }

  @Test
  void shouldListOnlyTheCallersTrafficWhenNoCaseIsGiven() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);

    // when
    Answer sent = hub.get("agriculture", MESSAGES + "?direction=sent&size=500");
    Answer received = hub.get("police", MESSAGES + "?direction=received&size=500");

    // then
    assertThat(sent.get("total").asLong()).isPositive();
    sent.get("items")
        .forEach(item -> assertThat(item.get("sender").asString()).isEqualTo("agriculture"));
    assertThat(received.get("total").asLong()).isPositive();
    received
        .get("items")
        .forEach(
            item -> {
              assertThat(item.get("sender").asString()).isNotEqualTo("police");
              assertThat(item.get("receipt").get("recipients").toString()).contains("\"police\"");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "direction=inbox",
        "direction=",
        "direction=sent&size=0",
        "direction=sent&size=501",
        "direction=sent&size=-1",
        "direction=sent&page=-1",
        "direction=sent&size=abc",
        "direction=sent&page=x",
        "direction=sent&from=yesterday",
        "direction=sent&to=2026-13-01T00:00:00Z"
      })
  void shouldRefuseWith400WhenTheListQueryIsInvalid(String query) {
    // when
    Answer answer = hub.get("agriculture", MESSAGES + "?" + query);

    // then
    assertThat(answer.status()).as(query + ": " + answer.text()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
  }

  @Test
  void shouldAcceptTheLargestPageSizeWhenItIs500() {
    // when
    Answer answer = hub.get("agriculture", MESSAGES + "?direction=received&size=500");

    // then
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.get("size").asInt()).isEqualTo(500);
  }

  // ---------------------------------------------------------------- helpers

  private List<String> listed(String agency, String direction, String caseNumber) {
    Answer answer =
        hub.get(
            agency,
            MESSAGES
                + "?direction="
                + direction
                + "&caseNumber="
                + encode(caseNumber)
                + "&size=500");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    List<String> ids = ids(answer);
    assertThat(answer.get("total").asLong()).isEqualTo(ids.size());
    return ids;
  }

  private static List<String> ids(Answer page) {
    List<String> ids = new ArrayList<>();
    page.get("items").forEach(item -> ids.add(item.get("messageId").asString()));
    return ids;
  }

  private static List<String> recipients(JsonNode deliveries) {
    List<String> recipients = new ArrayList<>();
    deliveries.forEach(d -> recipients.add(d.get("recipient").asString()));
    return recipients;
  }

  private static String deliveryIdOf(JsonNode deliveries, String recipient) {
    for (JsonNode d : deliveries) {
      if (d.get("recipient").asString().equals(recipient)) {
        return d.get("deliveryId").asString();
      }
    }
    throw new AssertionError("no delivery to " + recipient);
  }

  private static String id(JsonNode message) {
    return message.get("messageId").asString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private void drainInbox(String agency) {
    for (int round = 0; round < 100; round++) {
      Answer pulled = hub.get(agency, "/api/v1/inbox?limit=500");
      JsonNode deliveries = pulled.get("deliveries");
      if (deliveries.isEmpty()) {
        return;
      }
      ObjectNode ack = HubClient.JSON.createObjectNode();
      deliveries.forEach(d -> ack.withArray("deliveryIds").add(d.get("deliveryId").asString()));
      assertThat(hub.post(agency, "/api/v1/inbox/ack", ack).status()).isEqualTo(200);
    }
  }
}
