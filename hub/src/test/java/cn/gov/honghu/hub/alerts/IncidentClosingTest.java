package cn.gov.honghu.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Who may close an incident (HUB-SPEC section 8, issue 16): only its originator and its recipients.
 * The bug: any member could close any incident with an {@code ALERT_ACK} {@code CLOSED}, silencing
 * an alarm it never received. An outsider is refused 403, like an agency that is no party to a
 * case, and nothing is stored.
 */
@ApplicationTest
class IncidentClosingTest {

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldRefuseWith403AnOutsiderClosingAnIncident() {
    // given: water reports in yangtze-honghu (to police, environment, agriculture)
    ObjectNode alert = alertOf("water");
    String incidentId = incidentOf(alert);

    // when: the court, no party to it, closes it by incident and by alert id
    ObjectNode byIncident = close("court", "incidentId", incidentId);
    ObjectNode byAlert = close("court", "alertId", alert.get("payload").get("alertId").asString());
    Answer first = hub.post("court", byIncident);
    Answer second = hub.post("court", byAlert);

    // then
    for (Answer answer : new Answer[] {first, second}) {
      assertThat(answer.status()).as(answer.text()).isEqualTo(403);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.get("detail").asString()).contains("originator");
    }
    assertThat(closedAt(incidentId)).isNull();
    assertThat(stored(byIncident)).isZero();
    assertThat(stored(byAlert)).isZero();
  }

  @Test
  void shouldLetAnOutsiderAcknowledgeWithoutClosing() {
    // given
    ObjectNode alert = alertOf("water");
    String incidentId = incidentOf(alert);
    ObjectNode ack = close("court", "incidentId", incidentId);
    ((ObjectNode) ack.get("payload")).put("action", "RECEIVED");

    // when
    Answer answer = hub.post("court", ack);

    // then: only CLOSED is reserved to the parties
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(closedAt(incidentId)).isNull();
  }

  @Test
  void shouldLetARecipientClose() {
    ObjectNode alert = alertOf("water");
    String incidentId = incidentOf(alert);

    Answer answer = hub.post("police", close("police", "incidentId", incidentId));

    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(closedAt(incidentId)).isNotNull();
  }

  @Test
  void shouldLetTheOriginatorClose() {
    ObjectNode alert = alertOf("water");
    String incidentId = incidentOf(alert);

    Answer answer =
        hub.post(
            "water", close("water", "alertId", alert.get("payload").get("alertId").asString()));

    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(closedAt(incidentId)).isNotNull();
  }

  @Test
  void shouldStillAnswer422ForAnUnknownIncident() {
    Answer answer = hub.post("court", close("court", "incidentId", UUID.randomUUID().toString()));

    assertThat(answer.status()).as(answer.text()).isEqualTo(422);
  }

  // ---------------------------------------------------------------- helpers

  /** An accepted report far from every other test's, so that it opens an incident of its own. */
  private ObjectNode alertOf(String sender) {
    ObjectNode alert = Messages.alert(sender, "ALERT-" + UUID.randomUUID(), "yangtze-honghu");
    ((ObjectNode) alert.get("payload")).put("lat", 30.0 + Math.random() / 2);
    Answer accepted = hub.post(sender, alert);
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
    return alert;
  }

  private static ObjectNode close(String sender, String field, String id) {
    ObjectNode ack = Messages.envelope("ALERT_ACK", sender, null);
    ((ObjectNode) ack.get("payload")).put(field, id).put("action", "CLOSED");
    return ack;
  }

  private String incidentOf(ObjectNode alert) {
    return jdbc.queryForObject(
        "SELECT incident_id FROM alert WHERE message_id = ?",
        String.class,
        alert.get("messageId").asString());
  }

  private Object closedAt(String incidentId) {
    return jdbc.queryForObject(
        "SELECT closed_at FROM incident WHERE incident_id = ?", Object.class, incidentId);
  }

  private int stored(ObjectNode message) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM hub_message WHERE message_id = ?",
        Integer.class,
        message.get("messageId").asString());
  }
}
