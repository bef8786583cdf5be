package cn.gov.honghu.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HUB-SPEC section 10: personal data in payloads (names, ID numbers, phones; here also a company's
 * credit code) never appears in the logs. A workload over HTTP touches every path a payload takes
 * (each acceptable type, duplicates, conflicts, refusals that quote nothing but are built from
 * bodies full of personal data, malformed JSON, inbox pulls and acks) while the console output is
 * captured, with the hub's own loggers at DEBUG; then the output is searched for the data.
 *
 * <p>The capture works because the console appender writes to {@code System.out}, which {@link
 * OutputCaptureExtension} replaces; the test also proves it by finding the JSON line of an accepted
 * message.
 */
@ApplicationTest
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataInLogsTest {

  private static final String HUB_LOGGERS = "cn.gov.honghu";
  private static final String WRONG_CHECK_DIGIT_ID = Messages.SUSPECT_ID.substring(0, 17) + "4";

  /**
   * A phone number typed into a case number: the case number is an identifier the hub keeps in
   * clear, so this is not one of the parties' values that must not be stored in plain text
   * (crypto/PersonalDataDumpIT); it must not be logged all the same.
   */
  private static final String MISTYPED_PHONE = "13900002222";

  /** The ID's 17-digit prefix stands for the ID and for invalid IDs built from it. */
  private static final List<String> PERSONAL_DATA =
      List.of(
          Messages.SUSPECT_NAME,
          Messages.SUSPECT_ID.substring(0, 17),
          Messages.SUSPECT_PHONE,
          MISTYPED_PHONE,
          Messages.COMPANY_CREDIT_CODE);

  @LocalServerPort int port;
  HubClient hub;
  private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

  @BeforeEach
  void client() {
    hub = new HubClient(port);
    logging.setLogLevel(HUB_LOGGERS, LogLevel.DEBUG);
  }

  @AfterEach
  void restoreLogLevel() {
    logging.setLogLevel(HUB_LOGGERS, null);
  }

  @Test
  void shouldKeepPersonalDataOutOfTheLogsWhenAFullWorkloadRuns(CapturedOutput output) {
    // given: the suspect's ID with check digit 4 is an invalid ID
    assertThat(Messages.SUSPECT_ID).doesNotEndWith("4");
    // when
    String acceptedMessageId = acceptEveryType();
    refuseAndDuplicate();
    pullAndAcknowledge();
    // then
    assertThat(jsonLines(output))
        .as("the JSON line of an accepted message (proves the capture works)")
        .anySatisfy(
            line -> {
              assertThat(line.toString()).contains(acceptedMessageId);
              assertThat(line.path("message").asString("")).startsWith("message accepted");
            });
    assertThat(output.getAll().lines().filter(PersonalDataInLogsTest::hasPersonalData))
        .as("log lines with personal data")
        .isEmpty();
  }

  /** Whether a line holds any of the data, as written or JSON-escaped. */
  private static boolean hasPersonalData(String line) {
    String lower = line.toLowerCase(Locale.ROOT);
    return PERSONAL_DATA.stream()
        .anyMatch(data -> line.contains(data) || lower.contains(unicodeEscaped(data)));
  }

  /** Accepts one message of every type an agency may send; returns a CASE_TRANSFER's messageId. */
  private String acceptEveryType() {
    String transferred = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", transferred, null);
    addCompany(transfer);
    transfer.put("contactPhone", Messages.SUSPECT_PHONE); // a field the contract does not name
    accepted("agriculture", transfer);
    accepted("police", notFiled(transferred));
    accepted("agriculture", withName("RECONSIDERATION_REQUEST", "agriculture", transferred));
    accepted("police", withName("RECONSIDERATION_DECISION", "police", transferred));
    accepted(
        "procuratorate", Messages.of("SUPERVISION_NOTICE", "procuratorate", transferred, "police"));
    accepted("procuratorate", Messages.of("INDICTMENT", "procuratorate", transferred, null));
    accepted("court", Messages.of("JUDGMENT", "court", transferred, null));

    String filed = Messages.newCaseNumber();
    accepted("environment", Messages.of("CASE_TRANSFER", "environment", filed, null));
    accepted("police", Messages.of("FILING_DECISION", "police", filed, null));
    accepted("environment", Messages.of("EVIDENCE_HANDOVER", "environment", filed, null));

    // a penalty decision naming a company as well as the suspect
    ObjectNode penalty =
        Messages.of("ADMIN_PENALTY_DECISION", "agriculture", Messages.newCaseNumber(), null);
    addCompany(penalty);
    accepted("agriculture", penalty);

    String reverse = Messages.newCaseNumber();
    accepted("court", Messages.of("REVERSE_TRANSFER", "court", reverse, "water"));
    accepted("water", Messages.of("REVERSE_TRANSFER_RESULT", "water", reverse, null));

    String suggestion = Messages.newCaseNumber();
    accepted(
        "procuratorate",
        Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", suggestion, "market"));
    accepted("market", Messages.of("SUGGESTION_REPLY", "market", suggestion, null));

    String supervised = Messages.newCaseNumber();
    accepted(
        "justice",
        Messages.of("ENFORCEMENT_SUPERVISION_NOTICE", "justice", supervised, "natural-resources"));
    accepted(
        "natural-resources",
        Messages.of("RECTIFICATION_REPLY", "natural-resources", supervised, null));

    String retracted = Messages.newCaseNumber();
    ObjectNode mistaken = Messages.of("CASE_TRANSFER", "market", retracted, null);
    accepted("market", mistaken);
    ObjectNode retraction = Messages.of("RETRACTION", "market", retracted, null);
    payload(retraction).put("retractedMessageId", messageId(mistaken));
    accepted("market", retraction);

    // a phone typed into the case number is a well-formed case number: accepted, but not logged
    String mistyped = "误填" + MISTYPED_PHONE + "-" + UUID.randomUUID().toString().substring(0, 8);
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", mistyped, null));

    String alertId = "ALERT-" + UUID.randomUUID();
    ObjectNode alert = Messages.alert("water", alertId, "yangtze-honghu");
    payload(alert).put("reporterPhone", Messages.SUSPECT_PHONE);
    accepted("water", alert);
    ObjectNode ack = Messages.of("ALERT_ACK", "police", null, null);
    payload(ack).put("alertId", alertId).put("action", "DISPATCHED");
    accepted("police", ack);
    return messageId(transfer);
  }

  /** Duplicates, conflicts and refusals of bodies that carry personal data. */
  private void refuseAndDuplicate() {
    String caseNumber = Messages.newCaseNumber();
    ObjectNode original = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    accepted("agriculture", original);
    // the same message again: 200
    assertThat(hub.post("agriculture", original).status()).isEqualTo(200);
    // a business duplicate under a new messageId: 200
    ObjectNode twin = original.deepCopy();
    twin.put("messageId", UUID.randomUUID().toString());
    assertThat(hub.post("agriculture", twin).status()).isEqualTo(200);
    // the same messageId with other content: 409, for the sender and for another agency
    ObjectNode changed = original.deepCopy();
    party(changed).put("phone", "13900000000");
    assertThat(hub.post("agriculture", changed).status()).isEqualTo(409);
    ObjectNode foreign =
        Messages.of("CASE_TRANSFER", "environment", Messages.newCaseNumber(), null);
    foreign.put("messageId", messageId(original));
    assertThat(hub.post("environment", foreign).status()).isEqualTo(409);
    // invalid ID numbers that contain the real one's first 17 digits: 400
    ObjectNode wrongCheckDigit =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    party(wrongCheckDigit).put("idNumber", WRONG_CHECK_DIGIT_ID);
    assertThat(hub.post("agriculture", wrongCheckDigit).status()).isEqualTo(400);
    ObjectNode tooLong =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    party(tooLong)
        .put("idNumber", Messages.SUSPECT_ID + "0")
        .put("phone", Messages.SUSPECT_PHONE + "x");
    assertThat(hub.post("agriculture", tooLong).status()).isEqualTo(400);
    // malformed JSON around the data: 400
    for (String malformed :
        List.of(
            "{\"payload\": {\"name\": " + Messages.SUSPECT_NAME + "}}",
            "{\"payload\": {\"idNumber\": "
                + WRONG_CHECK_DIGIT_ID
                + "x, \"phone\": \""
                + Messages.SUSPECT_PHONE
                + "\"",
            "{\"messageId\": \""
                + Messages.SUSPECT_ID
                + "\", \"caseNumber\": "
                + Messages.SUSPECT_NAME
                + "}")) {
      assertThat(
              hub.postRaw(
                      "agriculture", "application/json", malformed.getBytes(StandardCharsets.UTF_8))
                  .status())
          .isEqualTo(400);
    }
    // a spoofed sender: 403; a case rule broken: 422; not JSON: 415
    assertThat(
            hub.post(
                    "environment",
                    Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null))
                .status())
        .isEqualTo(403);
    assertThat(
            hub.post("agriculture", withName("RECONSIDERATION_REQUEST", "agriculture", caseNumber))
                .status())
        .isEqualTo(422);
    assertThat(
            hub.postRaw(
                    "agriculture",
                    "text/plain",
                    (Messages.SUSPECT_NAME + " " + Messages.SUSPECT_ID)
                        .getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(415);
    // queries that name the data: 404 for an unknown id, 400 for a bad timestamp
    assertThat(hub.get("agriculture", "/api/v1/messages/" + Messages.SUSPECT_ID).status())
        .isEqualTo(404);
    assertThat(
            hub.get(
                    "agriculture",
                    "/api/v1/messages?caseNumber="
                        + URLEncoder.encode(Messages.SUSPECT_NAME, StandardCharsets.UTF_8)
                        + "&from="
                        + Messages.SUSPECT_PHONE)
                .status())
        .isEqualTo(400);
    // a batch acknowledgement that is not JSON: 400
    assertThat(
            hub.postRaw(
                    "police",
                    "/api/v1/inbox/ack",
                    "application/json",
                    ("{\"deliveryIds\": [" + Messages.SUSPECT_ID + "x]}")
                        .getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(400);
  }

  /** Every recipient of the workload pulls and acknowledges its inbox, one id singly. */
  private void pullAndAcknowledge() {
    String caseNumber = Messages.newCaseNumber();
    String transferId =
        messageId(
            accepted("environment", Messages.of("CASE_TRANSFER", "environment", caseNumber, null)));
    String single =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> deliveryOf("procuratorate", transferId), id -> id != null);
    assertThat(
            hub.postRaw("procuratorate", "/api/v1/inbox/" + single + "/ack", null, new byte[0])
                .status())
        .isEqualTo(204);
    assertThat(
            hub.postRaw(
                    "procuratorate",
                    "/api/v1/inbox/" + UUID.randomUUID() + "/ack",
                    null,
                    new byte[0])
                .status())
        .isEqualTo(404);
    for (String agency :
        List.of(
            "police",
            "procuratorate",
            "court",
            "justice",
            "environment",
            "agriculture",
            "natural-resources",
            "water",
            "market",
            "forestry")) {
      Answer inbox = hub.get(agency, "/api/v1/inbox?limit=500");
      assertThat(inbox.status()).as(inbox.text()).isEqualTo(200);
      ObjectNode ack = HubClient.JSON.createObjectNode();
      ArrayNode ids = ack.putArray("deliveryIds");
      inbox.get("deliveries").forEach(d -> ids.add(d.get("deliveryId").asString()));
      ids.add(UUID.randomUUID().toString());
      assertThat(hub.post(agency, "/api/v1/inbox/ack", ack).status()).isEqualTo(200);
    }
  }

  /** The deliveryId of a message in an agency's inbox, or null (pulling hands it out). */
  private String deliveryOf(String agency, String messageId) {
    Answer inbox = hub.get(agency, "/api/v1/inbox?limit=500");
    assertThat(inbox.status()).as(inbox.text()).isEqualTo(200);
    for (JsonNode delivery : inbox.get("deliveries")) {
      if (messageId.equals(delivery.get("messageId").asString())) {
        return delivery.get("deliveryId").asString();
      }
    }
    return null;
  }

  private ObjectNode accepted(String agency, ObjectNode message) {
    Answer answer = hub.post(agency, message);
    assertThat(answer.status())
        .as("%s %s: %s", agency, message.get("type").asString(), answer.text())
        .isEqualTo(202);
    return message;
  }

  private static List<JsonNode> jsonLines(CapturedOutput output) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.getOut().split("\\R")) {
      if (line.startsWith("{")) {
        try {
          lines.add(HubClient.JSON.readTree(line));
        } catch (RuntimeException notJson) {
          // a partial line of a concurrent writer
        }
      }
    }
    return lines;
  }

  /** The text as a JSON writer that escapes non-ASCII would write it (lower-case hex). */
  private static String unicodeEscaped(String text) {
    return text.chars()
        .mapToObj(c -> c < 128 ? String.valueOf((char) c) : String.format("\\u%04x", c))
        .collect(Collectors.joining());
  }

  private static ObjectNode notFiled(String caseNumber) {
    ObjectNode decision = Messages.of("FILING_DECISION", "police", caseNumber, null);
    payload(decision).put("decision", "NOT_FILED").put("reason", "证据不足：" + Messages.SUSPECT_NAME);
    return decision;
  }

  /** A message of a type with a free-text reason, which names the suspect. */
  private static ObjectNode withName(String type, String sender, String caseNumber) {
    ObjectNode message = Messages.of(type, sender, caseNumber, null);
    payload(message).put("reason", "涉及 " + Messages.SUSPECT_NAME + "，电话 " + Messages.SUSPECT_PHONE);
    return message;
  }

  private static void addCompany(ObjectNode message) {
    ((ArrayNode) payload(message).get("parties"))
        .addObject()
        .put("role", "COMPANY")
        .put("name", "洪湖测试渔业有限公司")
        .put("creditCode", Messages.COMPANY_CREDIT_CODE);
  }

  private static ObjectNode party(ObjectNode message) {
    return (ObjectNode) payload(message).get("parties").get(0);
  }

  private static ObjectNode payload(ObjectNode message) {
    return (ObjectNode) message.get("payload");
  }

  private static String messageId(ObjectNode message) {
    return message.get("messageId").asString();
  }
}
