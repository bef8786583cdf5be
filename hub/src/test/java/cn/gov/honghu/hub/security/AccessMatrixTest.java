package cn.gov.honghu.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.agency.DefaultAgencies;
import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The access matrix of issue 16, generated: each of the nine agencies sends a message of its own,
 * and every agency that is no party to it asks for its status, its case's timeline, its sender's
 * and its own traffic lists, the incidents, and acknowledges its deliveries. Every answer is a
 * refusal (404 or 403) or a list without it, and no body carries any of its identifying fields
 * (messageId, caseNumber, receiptId, deliveryIds).
 */
@ApplicationTest
class AccessMatrixTest {

  private static final List<String> NINE = DefaultAgencies.CODES;

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  /** A message one agency sent, with what identifies it and who are its parties. */
  record Owned(
      String owner,
      String messageId,
      String caseNumber,
      String receiptId,
      List<String> deliveryIds,
      Set<String> parties) {

    List<String> secrets() {
      List<String> secrets = new ArrayList<>(List.of(messageId, receiptId));
      if (caseNumber != null) {
        secrets.add(caseNumber);
      }
      secrets.addAll(deliveryIds);
      return secrets;
    }
  }

  @Test
  void shouldRefuseEveryAgencyEveryOtherAgencysMessageAndLeakNoneOfItsFields() {
    // given: one message of each of the nine, on a case of its own
    Map<String, Owned> owned = new LinkedHashMap<>();
    for (String owner : NINE) {
      owned.put(owner, send(owner, caseMessage(owner)));
    }
    List<String> wrong = new ArrayList<>();
    int pairs = 0;

    for (Owned message : owned.values()) {
      for (String outsider : NINE) {
        if (message.parties().contains(outsider)) {
          continue;
        }
        pairs++;
        // when / then
        String who = outsider + " on " + message.owner() + "'s message";
        refused(
            wrong, who + " status", message, status(message), hub.get(outsider, status(message)));
        refused(
            wrong,
            who + " timeline",
            message,
            timeline(message),
            hub.get(outsider, timeline(message)));
        for (String direction : List.of("sent", "received")) {
          String list =
              "/api/v1/messages?size=500&direction="
                  + direction
                  + "&caseNumber="
                  + encode(message.caseNumber());
          listedWithout(wrong, who + " " + direction + " list", message, hub.get(outsider, list));
        }
        for (String deliveryId : message.deliveryIds()) {
          String before = state(deliveryId);
          String ack = "/api/v1/inbox/" + deliveryId + "/ack";
          refused(wrong, who + " ack", message, ack, hub.postRaw(outsider, ack, null, new byte[0]));
          Answer batch =
              hub.post(
                  outsider,
                  "/api/v1/inbox/ack",
                  HubClient.JSON.createObjectNode().set("deliveryIds", array(deliveryId)));
          if (batch.status() == 200 && !batch.get("acknowledged").isEmpty()) {
            wrong.add(who + " batch ack acknowledged " + batch.text());
          }
          if (!before.equals(state(deliveryId))) {
            wrong.add(who + " ack changed " + deliveryId + " from " + before);
          }
        }
      }
    }

    // then: every agency was an outsider to some message, and every answer was right
    assertThat(pairs).isGreaterThanOrEqualTo(NINE.size() * 4);
    assertThat(wrong).as("answers that let an outsider see or touch a message").isEmpty();
  }

  @Test
  void shouldShowAnIncidentToNoAgencyOutsideIt() {
    // given: an alert in yangtze-honghu (subscribers: police, environment, agriculture, water)
    ObjectNode alert = Messages.of("FISHING_BAN_ALERT", "water", null, null);
    // far from every other test's reports, so that it opens an incident of its own
    ((ObjectNode) alert.get("payload")).put("lat", 29.0 + Math.random() / 2);
    Owned message = send("water", alert);
    String incidentId =
        jdbc.queryForObject(
            "SELECT incident_id FROM alert WHERE message_id = ?",
            String.class,
            message.messageId());
    String alertId = alert.get("payload").get("alertId").asString();
    List<String> wrong = new ArrayList<>();
    int outsiders = 0;

    for (String outsider : NINE) {
      if (message.parties().contains(outsider)) {
        continue;
      }
      outsiders++;
      // when
      Answer incidents = hub.get(outsider, "/api/v1/incidents?size=500");
      Answer status = hub.get(outsider, status(message));

      // then
      if (incidents.status() != 200) {
        wrong.add(outsider + " incidents: " + incidents.status());
      }
      for (String secret : List.of(incidentId, alertId, message.messageId())) {
        if (incidents.text().contains(secret)) {
          wrong.add(outsider + " incidents show " + secret);
        }
      }
      refused(wrong, outsider + " alert status", message, status(message), status);
    }
    assertThat(outsiders).isGreaterThanOrEqualTo(4);
    assertThat(wrong).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  /** A message the agency may send on a new case, with few recipients. */
  private static ObjectNode caseMessage(String owner) {
    String caseNumber = Messages.newCaseNumber();
    return switch (owner) {
      case "police" -> Messages.of("REVERSE_TRANSFER", owner, caseNumber, "market");
      case "court" -> Messages.of("REVERSE_TRANSFER", owner, caseNumber, "justice");
      case "procuratorate" -> Messages.of("PROCURATORIAL_SUGGESTION", owner, caseNumber, "water");
      case "justice" ->
          Messages.of("ENFORCEMENT_SUPERVISION_NOTICE", owner, caseNumber, "environment");
      default -> Messages.of("CASE_TRANSFER", owner, caseNumber, null);
    };
  }

  private Owned send(String owner, ObjectNode message) {
    Answer accepted = hub.post(owner, message);
    assertThat(accepted.status()).as(owner + ": " + accepted.text()).isEqualTo(202);
    String messageId = message.get("messageId").asString();
    List<String> deliveryIds =
        jdbc.queryForList(
            "SELECT delivery_id FROM delivery WHERE message_id = ?", String.class, messageId);
    Set<String> parties = new LinkedHashSet<>();
    parties.add(owner);
    accepted.get("recipients").forEach(r -> parties.add(r.asString()));
    assertThat(deliveryIds).hasSize(parties.size() - 1);
    return new Owned(
        owner,
        messageId,
        message.has("caseNumber") ? message.get("caseNumber").asString() : null,
        accepted.get("receiptId").asString(),
        deliveryIds,
        parties);
  }

  /**
   * A refusal that shows none of the message's fields but those the caller put in the request
   * itself (a problem's {@code instance} is the request's path).
   */
  private static void refused(
      List<String> wrong, String what, Owned message, String target, Answer answer) {
    if (answer.status() != 404 && answer.status() != 403) {
      wrong.add(what + ": " + answer.status());
    }
    String body = answer.text() == null ? "" : answer.text();
    for (String secret : message.secrets()) {
      if (!target.contains(secret) && !target.contains(encode(secret)) && body.contains(secret)) {
        wrong.add(what + " shows " + secret);
      }
    }
  }

  private static void listedWithout(List<String> wrong, String what, Owned message, Answer answer) {
    if (answer.status() != 200 && answer.status() != 404 && answer.status() != 403) {
      wrong.add(what + ": " + answer.status());
    }
    leaks(wrong, what, message, answer);
  }

  private static void leaks(List<String> wrong, String what, Owned message, Answer answer) {
    String body = answer.text() == null ? "" : answer.text();
    for (String secret : message.secrets()) {
      if (body.contains(secret)) {
        wrong.add(what + " shows " + secret);
      }
    }
  }

  private String state(String deliveryId) {
    return jdbc.queryForObject(
        "SELECT state FROM delivery WHERE delivery_id = ?", String.class, deliveryId);
  }

  private static JsonNode array(String id) {
    return HubClient.JSON.createArrayNode().add(id);
  }

  private static String status(Owned message) {
    return "/api/v1/messages/" + message.messageId();
  }

  private static String timeline(Owned message) {
    return "/api/v1/cases/" + encode(message.caseNumber()) + "/timeline";
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
