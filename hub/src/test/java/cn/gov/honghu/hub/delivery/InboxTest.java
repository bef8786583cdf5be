package cn.gov.honghu.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pull inbox of HUB-SPEC section 4. Inboxes are shared with every other test in this database,
 * so each test first acknowledges everything its recipient holds ({@code water}, which hears alerts
 * of yangtze-honghu, and {@code natural-resources}, which hears none) and then looks only at the
 * deliveries of the messages it created.
 */
@ApplicationTest
class InboxTest {

  private static final String WATER = "water";
  private static final String LAND = "natural-resources";
  private static final String INBOX = "/api/v1/inbox";

  /** HUB-SPEC section 4: {@code limit} defaults to 50. */
  private static final int DEFAULT_LIMIT = 50;

  /** A UUID in its canonical form: lower-case hex, 8-4-4-4-12. */
  private static final String CANONICAL_UUID =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
    drainInbox(WATER);
    drainInbox(LAND);
  }

  @Test
  void shouldReturnUnacknowledgedDeliveriesOldestFirstWithEveryMember() {
    // given
    String caseNumber = Messages.newCaseNumber();
    List<ObjectNode> sent = new ArrayList<>();
    List<JsonNode> receipts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ObjectNode suggestion = suggestion(caseNumber, WATER);
      Answer answer = hub.post("procuratorate", suggestion);
      assertThat(answer.status()).isEqualTo(202);
      sent.add(suggestion);
      receipts.add(answer.json());
    }

    // when
    List<JsonNode> items = pull(WATER, 500, ids(sent));

    // then
    assertThat(items)
        .extracting(i -> i.get("messageId").asString())
        .containsExactlyElementsOf(ids(sent));
    for (int i = 0; i < 3; i++) {
      JsonNode item = items.get(i);
      String deliveryId = item.get("deliveryId").asString();
      assertThat(deliveryId).matches(CANONICAL_UUID);
      assertThat(UUID.fromString(deliveryId).toString()).isEqualTo(deliveryId);
      assertThat(item.get("type").asString()).isEqualTo("PROCURATORIAL_SUGGESTION");
      assertThat(item.get("caseNumber").asString()).isEqualTo(caseNumber);
      assertThat(item.get("sequence").asInt()).isEqualTo(i + 1);
      assertThat(item.get("attempt").asInt()).isEqualTo(1);
      assertThat(item.get("receipt")).isEqualTo(receipts.get(i));
      assertThat(item.get("receipt").get("status").asString()).isEqualTo("ACCEPTED");
      assertThat(item.get("message")).isEqualTo(sent.get(i));
      assertThat(item.has("incidentId")).isFalse();
      assertThat(item.has("update")).isFalse();
    }
  }

  @Test
  void shouldKeepTheMessageAsAcceptedWhenItCarriesFieldsTheContractDoesNotName() {
    // given
    ObjectNode suggestion = suggestion(Messages.newCaseNumber(), WATER);
    suggestion.putObject("agencyExtension").put("internalRef", "水-2026-0042").put("pages", 3);
    ((ObjectNode) suggestion.get("payload")).put("localCode", "HB-42");
    String text =
        "{ \"note\" : \"\\u6d2a\\u6e56\" ,\n"
            + HubClient.JSON.writeValueAsString(suggestion).substring(1);
    assertThat(
            hub.postRaw("procuratorate", "application/json", text.getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(202);

    // when
    List<JsonNode> items = pull(WATER, 500, ids(List.of(suggestion)));

    // then
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("message")).isEqualTo(HubClient.JSON.readTree(text));
    assertThat(items.get(0).get("message").get("agencyExtension").get("internalRef").asString())
        .isEqualTo("水-2026-0042");
  }

  @Test
  void shouldHandOutAlertsBeforeOlderCaseMessagesWhenBothWait() {
    // given: a case message first, then an alert on a water the recipient watches
    ObjectNode suggestion = suggestion(Messages.newCaseNumber(), WATER);
    assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
    ObjectNode alert = uniqueAlert();
    Answer accepted = hub.post("agriculture", alert);
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.get("recipients").toString()).contains(WATER);

    // when
    List<JsonNode> items = pull(WATER, 500, ids(List.of(suggestion, alert)));

    // then
    assertThat(items)
        .extracting(i -> i.get("messageId").asString())
        .containsExactly(id(alert), id(suggestion));
    JsonNode alertItem = items.get(0);
    assertThat(alertItem.get("type").asString()).isEqualTo("FISHING_BAN_ALERT");
    assertThat(alertItem.get("incidentId").asString()).isNotBlank();
    assertThat(alertItem.get("update").isBoolean()).isTrue();
    assertThat(alertItem.has("caseNumber")).isFalse();
    assertThat(alertItem.has("sequence")).isFalse();
    assertThat(alertItem.get("message")).isEqualTo(alert);
  }

  @Test
  void shouldHandOutAlertsFirstWhenTheLimitCutsTheBacklog() {
    // given: more waiting case messages than the limit, then an alert
    String caseNumber = Messages.newCaseNumber();
    for (int i = 0; i < 3; i++) {
      assertThat(hub.post("procuratorate", suggestion(caseNumber, WATER)).status()).isEqualTo(202);
    }
    ObjectNode alert = uniqueAlert();
    assertThat(hub.post("agriculture", alert).status()).isEqualTo(202);

    // when
    Answer pulled = hub.get(WATER, INBOX + "?limit=1");

    // then
    assertThat(pulled.get("deliveries")).hasSize(1);
    assertThat(pulled.get("deliveries").get(0).get("type").asString())
        .isIn("FISHING_BAN_ALERT", "ALERT_ESCALATION");
  }

  @Test
  void shouldNumberDeliveriesPerCaseAndRecipientWhenCasesInterleave() {
    // given
    String caseA = Messages.newCaseNumber();
    String caseB = Messages.newCaseNumber();
    List<ObjectNode> sent = new ArrayList<>();
    sent.add(suggestion(caseA, WATER));
    sent.add(suggestion(caseA, LAND));
    sent.add(suggestion(caseB, WATER));
    sent.add(notice("SUPERVISION_NOTICE", caseA, WATER));
    sent.add(notice("REVERSE_TRANSFER", caseA, WATER));
    sent.add(notice("REVERSE_TRANSFER", caseB, LAND));
    for (ObjectNode message : sent) {
      Answer answer = hub.post("procuratorate", message);
      assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    }

    // when
    List<JsonNode> water = pull(WATER, 500, ids(sent));
    List<JsonNode> land = pull(LAND, 500, ids(sent));

    // then
    assertThat(sequences(water, caseA)).containsExactly(1, 2, 3);
    assertThat(sequences(water, caseB)).containsExactly(1);
    assertThat(sequences(land, caseA)).containsExactly(1);
    assertThat(sequences(land, caseB)).containsExactly(1);
  }

  @Test
  void shouldHonourTheLimitWhenMoreDeliveriesWait() {
    // given
    String caseNumber = Messages.newCaseNumber();
    for (int i = 0; i < 3; i++) {
      assertThat(hub.post("procuratorate", suggestion(caseNumber, LAND)).status()).isEqualTo(202);
    }

    // when
    Answer two = hub.get(LAND, INBOX + "?limit=2");

    // then
    assertThat(two.status()).isEqualTo(200);
    assertThat(two.get("deliveries")).hasSize(2);
  }

  @Test
  void shouldReturnFiftyDeliveriesWhenNoLimitIsGivenAndMoreWait() {
    // given: one more than HUB-SPEC section 4's default limit of 50
    String caseNumber = Messages.newCaseNumber();
    for (int i = 0; i < DEFAULT_LIMIT + 1; i++) {
      assertThat(hub.post("procuratorate", suggestion(caseNumber, LAND)).status()).isEqualTo(202);
    }

    // when
    Answer byDefault = hub.get(LAND, INBOX);
    Answer all = hub.get(LAND, INBOX + "?limit=500");

    // then
    assertThat(byDefault.status()).isEqualTo(200);
    assertThat(byDefault.get("deliveries")).hasSize(DEFAULT_LIMIT);
    assertThat(all.get("deliveries").size()).isGreaterThan(DEFAULT_LIMIT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "501", "100000", "abc", "1.5"})
  void shouldRefuseWith400WhenTheLimitIsOutOfRange(String limit) {
    // when
    Answer answer = hub.get(LAND, INBOX + "?limit=" + limit);

    // then
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
  }

  @Test
  void shouldAcceptTheLimitWhenItIsTheMaximum() {
    // when
    Answer answer = hub.get(LAND, INBOX + "?limit=500");

    // then
    assertThat(answer.status()).isEqualTo(200);
  }

  @Test
  void shouldHandOutAnUnacknowledgedDeliveryAgainWithTheNextAttempt() {
    // given
    ObjectNode suggestion = suggestion(Messages.newCaseNumber(), LAND);
    assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
    JsonNode first = single(pull(LAND, 500, ids(List.of(suggestion))));

    // when
    JsonNode second = single(pull(LAND, 500, ids(List.of(suggestion))));
    JsonNode third = single(pull(LAND, 500, ids(List.of(suggestion))));

    // then
    assertThat(second.get("deliveryId")).isEqualTo(first.get("deliveryId"));
    assertThat(first.get("attempt").asInt()).isEqualTo(1);
    assertThat(second.get("attempt").asInt()).isEqualTo(2);
    assertThat(third.get("attempt").asInt()).isEqualTo(3);
    assertThat(third.get("sequence")).isEqualTo(first.get("sequence"));
    JsonNode delivery =
        hub.get(LAND, "/api/v1/messages/" + id(suggestion)).get("deliveries").get(0);
    assertThat(delivery.get("state").asString()).isEqualTo("DELIVERED");
    assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
  }

  @Test
  void shouldNeverHandOutADeliveryAgainWhenItIsAcknowledged() {
    // given
    ObjectNode suggestion = suggestion(Messages.newCaseNumber(), LAND);
    assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
    String deliveryId =
        single(pull(LAND, 500, ids(List.of(suggestion)))).get("deliveryId").asString();

    // when
    Answer ack = ack(LAND, deliveryId);
    Answer again = ack(LAND, deliveryId);

    // then
    assertThat(ack.status()).isEqualTo(204);
    assertThat(ack.text()).isEmpty();
    assertThat(again.status()).isEqualTo(204);
    assertThat(pull(LAND, 500, ids(List.of(suggestion)))).isEmpty();
    JsonNode delivery =
        hub.get(LAND, "/api/v1/messages/" + id(suggestion)).get("deliveries").get(0);
    assertThat(delivery.get("state").asString()).isEqualTo("ACKNOWLEDGED");
  }

  @Test
  void shouldAcknowledgeADeliveryWhenItWasNeverPulled() {
    // given: the deliveryId is learnt from the message status, not from a pull
    ObjectNode suggestion = suggestion(Messages.newCaseNumber(), LAND);
    assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
    String deliveryId =
        hub.get(LAND, "/api/v1/messages/" + id(suggestion))
            .get("deliveries")
            .get(0)
            .get("deliveryId")
            .asString();

    // when
    Answer ack = ack(LAND, deliveryId);

    // then
    assertThat(ack.status()).isEqualTo(204);
    assertThat(pull(LAND, 500, ids(List.of(suggestion)))).isEmpty();
  }

  @Test
  void shouldRefuseWith404WhenAnotherAgencyAcknowledgesTheDelivery() {
    // given
    ObjectNode suggestion = suggestion(Messages.newCaseNumber(), LAND);
    assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
    String deliveryId =
        single(pull(LAND, 500, ids(List.of(suggestion)))).get("deliveryId").asString();

    // when
    Answer byWater = ack(WATER, deliveryId);
    Answer bySender = ack("procuratorate", deliveryId);
    Answer unknown = ack(LAND, UUID.randomUUID().toString());

    // then
    for (Answer answer : List.of(byWater, bySender, unknown)) {
      assertThat(answer.status()).isEqualTo(404);
      assertThat(answer.contentType()).startsWith("application/problem+json");
    }
    assertThat(pull(LAND, 500, ids(List.of(suggestion)))).hasSize(1);
  }

  @Test
  void shouldAnswerWhichIdsWereAcknowledgedWhenABatchIsAcknowledged() {
    // given
    String caseNumber = Messages.newCaseNumber();
    List<ObjectNode> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ObjectNode suggestion = suggestion(caseNumber, LAND);
      assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
      sent.add(suggestion);
    }
    ObjectNode forWater = suggestion(Messages.newCaseNumber(), WATER);
    assertThat(hub.post("procuratorate", forWater).status()).isEqualTo(202);
    List<String> mine = new ArrayList<>();
    pull(LAND, 500, ids(sent)).forEach(i -> mine.add(i.get("deliveryId").asString()));
    String waters = single(pull(WATER, 500, ids(List.of(forWater)))).get("deliveryId").asString();
    String bogus = UUID.randomUUID().toString();
    assertThat(ack(LAND, mine.get(0)).status()).isEqualTo(204);

    // when
    Answer batch = batchAck(LAND, List.of(mine.get(0), mine.get(1), bogus, mine.get(2), waters));

    // then
    assertThat(batch.status()).isEqualTo(200);
    assertThat(texts(batch.get("acknowledged")))
        .containsExactlyInAnyOrder(mine.get(0), mine.get(1), mine.get(2));
    assertThat(texts(batch.get("unknown"))).containsExactlyInAnyOrder(bogus, waters);
    assertThat(pull(LAND, 500, ids(sent))).isEmpty();
    assertThat(pull(WATER, 500, ids(List.of(forWater)))).hasSize(1);
  }

  @Test
  void shouldAcceptAnEmptyBatchWhenThereIsNothingToAcknowledge() {
    // when
    Answer batch = batchAck(LAND, List.of());

    // then
    assertThat(batch.status()).isEqualTo(200);
    assertThat(batch.get("acknowledged")).isEmpty();
    assertThat(batch.get("unknown")).isEmpty();
  }

  @Test
  void shouldRefuseWith400WhenTheBatchHasMoreThan500Ids() {
    // given
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      ids.add(UUID.randomUUID().toString());
    }

    // when
    Answer tooMany = batchAck(LAND, ids);
    Answer atMost = batchAck(LAND, ids.subList(0, 500));

    // then
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.contentType()).startsWith("application/problem+json");
    assertThat(atMost.status()).isEqualTo(200);
    assertThat(atMost.get("unknown")).hasSize(500);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{}",
        "{\"deliveryIds\": null}",
        "{\"deliveryIds\": \"abc\"}",
        "{\"deliveryIds\": [1, {}]}",
        "{\"deliveryIds\": [null]}",
        "[\"abc\"]",
        "{\"deliveryIds\": [",
        "null"
      })
  void shouldRefuseWith400WhenTheBatchBodyIsMissingOrMalformed(String body) {
    // when
    Answer answer =
        hub.postRaw(
            LAND, INBOX + "/ack", "application/json", body.getBytes(StandardCharsets.UTF_8));

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
  }

  @Test
  void shouldRefuseWith400WhenTheBatchHasNoBodyAtAll() {
    // when
    Answer answer = hub.postRaw(LAND, INBOX + "/ack", null, new byte[0]);

    // then
    assertThat(answer.status()).isEqualTo(400);
  }

  @Test
  void shouldRefuseInboxCallsWhenTheCallerIsNotAnAgency() {
    // when
    Answer anonymous = hub.get(null, INBOX);
    Answer admin = hub.getWithKey("ops-test-key", INBOX);
    Answer anonymousAck =
        hub.postRaw(null, INBOX + "/" + UUID.randomUUID() + "/ack", null, new byte[0]);

    // then
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(admin.status()).isEqualTo(403);
    assertThat(anonymousAck.status()).isEqualTo(401);
  }

  // ---------------------------------------------------------------- helpers

  private static ObjectNode suggestion(String caseNumber, String addressee) {
    return Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, addressee);
  }

  private static ObjectNode notice(String type, String caseNumber, String addressee) {
    return Messages.of(type, "procuratorate", caseNumber, addressee);
  }

  /** An alert on yangtze-honghu far from other tests' reports, so it opens its own incident. */
  private static ObjectNode uniqueAlert() {
    ObjectNode alert =
        Messages.alert("agriculture", "ALERT-" + UUID.randomUUID(), "yangtze-honghu");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    ((ObjectNode) alert.get("payload"))
        .put("kind", "OTHER")
        .put("lat", 29.0 + random.nextDouble())
        .put("lon", 112.0 + random.nextDouble() * 2);
    return alert;
  }

  private static String id(JsonNode message) {
    return message.get("messageId").asString();
  }

  private static Set<String> ids(List<? extends JsonNode> messages) {
    Set<String> ids = new LinkedHashSet<>();
    messages.forEach(m -> ids.add(id(m)));
    return ids;
  }

  private static List<Integer> sequences(List<JsonNode> items, String caseNumber) {
    return items.stream()
        .filter(i -> caseNumber.equals(i.path("caseNumber").asString(null)))
        .map(i -> i.get("sequence").asInt())
        .toList();
  }

  private static JsonNode single(List<JsonNode> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asString()));
    return texts;
  }

  /** One pull; the items of the given messages, in inbox order. */
  private List<JsonNode> pull(String agency, int limit, Set<String> messageIds) {
    Answer pulled = hub.get(agency, INBOX + "?limit=" + limit);
    assertThat(pulled.status()).as(pulled.text()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    pulled
        .get("deliveries")
        .forEach(
            d -> {
              if (messageIds.contains(d.get("messageId").asString())) {
                items.add(d);
              }
            });
    return items;
  }

  private Answer ack(String agency, String deliveryId) {
    return hub.postRaw(agency, INBOX + "/" + deliveryId + "/ack", null, new byte[0]);
  }

  private Answer batchAck(String agency, List<String> deliveryIds) {
    ObjectNode body = HubClient.JSON.createObjectNode();
    ArrayNode ids = body.putArray("deliveryIds");
    deliveryIds.forEach(ids::add);
    return hub.post(agency, INBOX + "/ack", body);
  }

  /** Acknowledges everything the agency holds, so that this test's deliveries fit in one pull. */
  private void drainInbox(String agency) {
    for (int round = 0; round < 100; round++) {
      Answer pulled = hub.get(agency, INBOX + "?limit=500");
      assertThat(pulled.status()).isEqualTo(200);
      JsonNode deliveries = pulled.get("deliveries");
      if (deliveries.isEmpty()) {
        return;
      }
      List<String> ids = new ArrayList<>();
      deliveries.forEach(d -> ids.add(d.get("deliveryId").asString()));
      assertThat(batchAck(agency, ids).status()).isEqualTo(200);
    }
  }
}
