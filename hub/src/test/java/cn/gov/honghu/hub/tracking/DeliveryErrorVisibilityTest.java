package cn.gov.honghu.hub.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a message's parties see of a failed delivery (issue 16). The bug: the sender saw the webhook
 * recipient's raw {@code lastError}, the text of a connection error naming the recipient's internal
 * hosts, or the start of its answer. Now the parties see the outcome class and the HTTP status; the
 * admins' failed-delivery views keep the text. The attempts are written by SQL as the webhook
 * dispatcher writes them (the test deployment's agencies pull).
 */
@ApplicationTest
class DeliveryErrorVisibilityTest {

  private static final String HOST_TEXT =
      "java.net.ConnectException: Connection refused: gw.market.internal:8443";
  private static final String ANSWER_TEXT = "HTTP 400: {\"error\":\"unknown suspect\"}";

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldShowThePartiesTheOutcomeWithoutTheErrorTextOfAnUnansweredAttempt() {
    // given: a delivery retrying after a connection error
    ObjectNode message = suggestion();
    String deliveryId = deliveryOf(message);
    attempt(deliveryId, "RETRY", null, HOST_TEXT, "QUEUED");

    // when
    JsonNode bySender = delivery(hub.get("procuratorate", path(message)));
    JsonNode byRecipient = delivery(hub.get("market", path(message)));

    // then
    assertThat(bySender.get("lastError").asString()).isEqualTo("RETRY");
    assertThat(byRecipient.get("lastError").asString()).isEqualTo("RETRY");
    assertThat(bySender.toString()).doesNotContain("gw.market.internal", "ConnectException");
  }

  @Test
  void shouldShowThePartiesTheOutcomeAndStatusOfARefusalAndTheAdminsTheText() {
    // given: a delivery the recipient refused
    ObjectNode message = suggestion();
    String deliveryId = deliveryOf(message);
    attempt(deliveryId, "REFUSED", 400, ANSWER_TEXT, "FAILED");

    // when
    Answer status = hub.get("procuratorate", path(message));
    Answer admin = hub.getWithKey("ops-test-key", "/admin/v1/failed/" + deliveryId);

    // then
    assertThat(delivery(status).get("lastError").asString()).isEqualTo("REFUSED HTTP 400");
    assertThat(status.text()).doesNotContain("unknown suspect");
    assertThat(admin.status()).as(admin.text()).isEqualTo(200);
    assertThat(admin.get("delivery").get("lastError").asString()).isEqualTo(ANSWER_TEXT);
    assertThat(admin.get("attempts").get(0).get("error").asString()).isEqualTo(ANSWER_TEXT);
  }

  @Test
  void shouldShowNoErrorOnceDelivered() {
    ObjectNode message = suggestion();

    JsonNode delivery = delivery(hub.get("procuratorate", path(message)));

    assertThat(delivery.has("lastError")).isFalse();
  }

  // ---------------------------------------------------------------- helpers

  private ObjectNode suggestion() {
    ObjectNode message =
        Messages.of(
            "PROCURATORIAL_SUGGESTION", "procuratorate", Messages.newCaseNumber(), "market");
    Answer accepted = hub.post("procuratorate", message);
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
    return message;
  }

  private String deliveryOf(ObjectNode message) {
    return jdbc.queryForObject(
        "SELECT delivery_id FROM delivery WHERE message_id = ?",
        String.class,
        message.get("messageId").asString());
  }

  /** One failed attempt, recorded as WebhookDispatcher records it. */
  private void attempt(
      String deliveryId, String outcome, Integer status, String error, String state) {
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.update(
        "INSERT INTO delivery_attempt (delivery_id, attempt, at, outcome, status, error)"
            + " VALUES (?, 1, ?, ?, ?, ?)",
        deliveryId,
        now,
        outcome,
        status,
        error);
    jdbc.update(
        "UPDATE delivery SET attempts = 1, last_error = ?, state = ?, failed_at = ?"
            + " WHERE delivery_id = ?",
        error,
        state,
        state.equals("FAILED") ? now : null,
        deliveryId);
  }

  private static String path(ObjectNode message) {
    return "/api/v1/messages/" + message.get("messageId").asString();
  }

  private static JsonNode delivery(Answer status) {
    assertThat(status.status()).as(status.text()).isEqualTo(200);
    return status.get("deliveries").get(0);
  }
}
