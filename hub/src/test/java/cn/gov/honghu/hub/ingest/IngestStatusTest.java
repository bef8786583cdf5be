package cn.gov.honghu.hub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every answer of {@code POST /api/v1/messages} (HUB-SPEC section 3) but 429 and 503, their bodies,
 * and the order in which the checks run: the first failing check answers.
 */
@ApplicationTest
class IngestStatusTest {

  private static final int LIMIT = 1024 * 1024;
  private static final String MESSAGES = "/api/v1/messages";
  private static final String JSON = "application/json";

  // the problem types the hub answers (HUB-SPEC section 3; ProblemException and its callers)
  static final String UNAUTHORIZED = "urn:hub:problem:unauthorized";
  static final String FORBIDDEN = "urn:hub:problem:forbidden";
  static final String TOO_LARGE = "urn:hub:problem:payload-too-large";
  static final String UNSUPPORTED_MEDIA_TYPE = "urn:hub:problem:unsupported-media-type";
  static final String INVALID_MESSAGE = "urn:hub:problem:invalid-message";
  static final String CONFLICT = "urn:hub:problem:message-id-conflict";
  static final String CASE_RULE = "urn:hub:problem:case-rule";

  // the details of the four 403 causes, which share the type FORBIDDEN
  private static final String ADMIN_KEY = "this endpoint is for agency systems";
  private static final String SPOOFED_SENDER = "sender is not the authenticated agency";
  private static final String NOT_A_PARTY = "the sender is not a party to this case";

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  // ---------------------------------------------------------------- 202

  @Test
  void shouldAnswerReceiptWithEveryMemberWhenMessageIsAccepted() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    String messageId = transfer.get("messageId").asString();

    // when
    Answer answer = hub.post("agriculture", transfer);

    // then
    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.contentType()).startsWith("application/json");
    assertThat(answer.get("messageId").asString()).isEqualTo(messageId);
    String receiptId = answer.get("receiptId").asString();
    assertThat(UUID.fromString(receiptId).toString()).isEqualTo(receiptId);
    assertThat(answer.get("status").asString()).isEqualTo("ACCEPTED");
    assertThat(texts(answer.get("recipients")))
        .containsExactlyInAnyOrder("police", "procuratorate");
    assertThat(texts(answer.get("ruleIds"))).contains("T1");
    assertThat(answer.get("clauses").isArray()).isTrue();
    assertThat(answer.get("flags").isArray()).isTrue();
    assertThat(answer.get("duplicateOf")).isNull();
    // durably stored before the answer: the sender sees it at once
    Answer stored = hub.get("agriculture", MESSAGES + "/" + messageId);
    assertThat(stored.status()).isEqualTo(200);
    assertThat(stored.get("receipt").get("receiptId").asString())
        .isEqualTo(answer.get("receiptId").asString());
  }

  @Test
  void shouldAcceptMessageWhenBodyIsExactlyTheSizeLimit() {
    // given
    ObjectNode suggestion = suggestionTo("natural-resources");
    suggestion.put("padding", "");
    int bare = bytes(suggestion).length;
    suggestion.put("padding", "x".repeat(LIMIT - bare));
    byte[] body = bytes(suggestion);
    assertThat(body).hasSize(LIMIT);

    // when
    Answer answer = hub.postRaw("procuratorate", JSON, body);

    // then
    assertThat(answer.status()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- 401

  static Stream<Arguments> badCredentials() {
    return Stream.of(
        Arguments.of("no Authorization header", Map.of()),
        Arguments.of("Basic scheme", Map.of("Authorization", "Basic YWdyaWN1bHR1cmU6c2VjcmV0")),
        Arguments.of("key without scheme", Map.of("Authorization", HubClient.key("agriculture"))),
        Arguments.of("unknown key", Map.of("Authorization", "Bearer not-a-key-of-this-hub")),
        Arguments.of("empty bearer", Map.of("Authorization", "Bearer ")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCredentials")
  void shouldRefuseWith401WhenCredentialsAreMissingOrUnknown(
      String why, Map<String, String> authorization) {
    // given
    Map<String, String> headers = new HashMap<>(authorization);
    headers.put("Content-Type", JSON);
    byte[] body =
        bytes(Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null));

    // when
    HttpResponse<String> response = hub.exchange(MESSAGES, headers, body);

    // then
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(value -> assertThat(value).startsWithIgnoringCase("Bearer"));
    assertProblem(answerOf(response), 401, UNAUTHORIZED);
  }

  @Test
  void shouldAcceptBearerSchemeWhenWrittenInLowerCase() {
    // given
    byte[] body =
        bytes(Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null));

    // when
    Answer answer =
        hub.postWithHeaders(
            MESSAGES,
            Map.of("Authorization", "bearer " + HubClient.key("agriculture"), "Content-Type", JSON),
            body);

    // then
    assertThat(answer.status()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- 403

  @Test
  void shouldRefuseWith403WhenAnAdminKeyPostsAMessage() {
    // given
    byte[] body =
        bytes(Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null));

    // when
    Answer answer = hub.postWithKey("ops-test-key", MESSAGES, JSON, body);

    // then
    assertForbidden(answer, ADMIN_KEY);
  }

  @Test
  void shouldRefuseWith403WhenSenderIsNotTheAuthenticatedAgency() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "environment", Messages.newCaseNumber(), null);

    // when
    Answer answer = hub.post("agriculture", transfer);

    // then
    assertForbidden(answer, SPOOFED_SENDER);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "CASE_TRANSFER, agency police may not send CASE_TRANSFER (rule T1)",
    "TRANSFER_OMISSION_ALERT, TRANSFER_OMISSION_ALERT is generated by the hub",
    "DEADLINE_OVERDUE, DEADLINE_OVERDUE is generated by the hub",
    "ALERT_ESCALATION, ALERT_ESCALATION is generated by the hub"
  })
  void shouldRefuseWith403WhenCallerMayNotSendTheType(String type, String cause) {
    // given: the police are judicial (CASE_TRANSFER is administrative); the others are the hub's
    ObjectNode message = Messages.of(type, "police", Messages.newCaseNumber(), null);

    // when
    Answer answer = hub.post("police", message);

    // then
    assertForbidden(answer, cause);
  }

  @Test
  void shouldRefuseWith403WhenSenderIsNotAPartyOfTheCase() {
    // given
    String caseNumber = Messages.newCaseNumber();
    assertThat(
            hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null))
                .status())
        .isEqualTo(202);
    ObjectNode outsider = Messages.of("ADMIN_PENALTY_DECISION", "market", caseNumber, null);

    // when
    Answer answer = hub.post("market", outsider);

    // then
    assertForbidden(answer, NOT_A_PARTY);
  }

  // ---------------------------------------------------------------- 413

  @Test
  void shouldRefuseWith413WhenBodyIsOverTheLimitWithoutContentLength() {
    // given
    byte[] body = paddedTransfer(LIMIT + 1);

    // when
    Answer answer = hub.postChunked("agriculture", JSON, body);

    // then
    assertProblem(answer, 413, TOO_LARGE);
  }

  @Test
  void shouldRefuseWith413WhenContentLengthIsOverTheLimit() {
    // given: the body is sent with its Content-Length
    byte[] body = paddedTransfer(LIMIT + 1);

    // when
    Answer answer = hub.postRaw("agriculture", JSON, body);

    // then
    assertProblem(answer, 413, TOO_LARGE);
  }

  // ---------------------------------------------------------------- 415

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "text/plain; charset=UTF-8",
        "application/json; charset=ISO-8859-1",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "not a media type"
      })
  void shouldRefuseWith415WhenContentTypeIsNotJson(String contentType) {
    // given
    byte[] body =
        bytes(Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null));

    // when
    Answer answer = hub.postRaw("agriculture", contentType, body);

    // then
    assertProblem(answer, 415, UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  void shouldRefuseWith415WhenContentTypeIsMissing() {
    // given
    byte[] body =
        bytes(Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null));

    // when
    Answer answer = hub.postRaw("agriculture", null, body);

    // then
    assertProblem(answer, 415, UNSUPPORTED_MEDIA_TYPE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=utf-8", "application/json;charset=\"UTF-8\""})
  void shouldAcceptJsonWhenCharsetIsUtf8(String contentType) {
    // given
    byte[] body =
        bytes(Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null));

    // when
    Answer answer = hub.postRaw("agriculture", contentType, body);

    // then
    assertThat(answer.status()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- 400: envelope

  @Test
  void shouldListEveryEnvelopeViolationWhenTypeAndSenderAreMissing() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    message.remove("type");
    message.remove("sender");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactlyInAnyOrder("/sender", "/type");
    answer
        .get("errors")
        .forEach(
            error -> {
              assertThat(error.get("pointer").isString()).isTrue();
              assertThat(error.get("detail").asString()).isNotBlank();
            });
  }

  @Test
  void shouldRefuseWith400WhenTypeIsUnknown() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    message.put("type", "CASE_TRANSFER_V2");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/type");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "1.0", "", "v1"})
  void shouldRefuseWith400WhenSchemaVersionIsUnknown(String version) {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    message.put("schemaVersion", version);

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/schemaVersion");
  }

  @Test
  void shouldRefuseWith400WhenSchemaVersionIsANumber() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    message.put("schemaVersion", 1);

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/schemaVersion");
  }

  // ---------------------------------------------------------------- 400: payload

  @Test
  void shouldListEveryPayloadViolationAtOnceWithItsPointer() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    message.put("sentAt", inMinutes(10));
    ObjectNode payload = (ObjectNode) message.get("payload");
    payload.remove("transferNo");
    payload.put("approvedAt", "yesterday");
    ObjectNode facts = (ObjectNode) payload.get("facts");
    facts.remove("waterArea");
    facts.put("catchKg", -1);
    ArrayNode parties = payload.putArray("parties");
    parties
        .addObject()
        .put("role", "SUSPECT")
        .put("name", Messages.SUSPECT_NAME)
        .put("idNumber", "421083198001010014")
        .put("phone", Messages.SUSPECT_PHONE);
    parties
        .addObject()
        .put("role", "COMPANY")
        .put("name", "某电镀有限公司")
        .put("creditCode", "91421083MA4C1B2D3F");
    parties.addObject().put("role", "WITNESS");
    ArrayNode evidence = payload.putArray("evidence");
    evidence.addObject().put("name", "电鱼器具一套").put("kind", "SMELL");
    evidence.addObject().put("name", "现场视频");
    ((ObjectNode) payload.get("legalBasis").get(0)).put("version", "2013/12/28");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer))
        .containsExactlyInAnyOrder(
            "/sentAt",
            "/payload/transferNo",
            "/payload/approvedAt",
            "/payload/facts/waterArea",
            "/payload/facts/catchKg",
            "/payload/parties/0/idNumber",
            "/payload/parties/1/creditCode",
            "/payload/parties/2/name",
            "/payload/evidence/0/kind",
            "/payload/evidence/1/kind",
            "/payload/legalBasis/0/version");
    assertThat(answer.text())
        .doesNotContain(Messages.SUSPECT_NAME, Messages.SUSPECT_PHONE, "421083198001010014");
  }

  @Test
  void shouldGiveMissingFieldsThePointerTheyWouldHave() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    ObjectNode payload = (ObjectNode) message.get("payload");
    payload.remove(List.of("transferNo", "evidence", "approvedAt"));
    ((ObjectNode) payload.get("facts")).remove("offence");
    ((ObjectNode) payload.get("legalBasis").get(0)).remove("article");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer))
        .containsExactlyInAnyOrder(
            "/payload/transferNo",
            "/payload/evidence",
            "/payload/approvedAt",
            "/payload/facts/offence",
            "/payload/legalBasis/0/article");
  }

  @Test
  void shouldRefuseWith400WhenResidentIdCheckDigitIsWrong() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    party(message).put("idNumber", "421083198001010012");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/payload/parties/0/idNumber");
  }

  @Test
  void shouldAcceptResidentIdWhenItsCheckCharacterIsX() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    party(message).put("idNumber", "11010519491231002X");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertThat(answer.status()).isEqualTo(202);
  }

  @Test
  void shouldNotCheckDigitsWhenTheIdIsAPassport() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    party(message).put("idType", "PASSPORT").put("idNumber", "E12345678");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertThat(answer.status()).isEqualTo(202);
  }

  @Test
  void shouldRefuseWith400WhenCreditCodeCheckDigitIsWrong() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    ((ArrayNode) message.get("payload").get("parties"))
        .addObject()
        .put("role", "COMPANY")
        .put("name", "某渔业有限公司")
        .put("creditCode", "91421083MA4C1B2D3A");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/payload/parties/1/creditCode");
  }

  @Test
  void shouldAcceptCompanyWhenCreditCodeIsValid() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    ((ArrayNode) message.get("payload").get("parties"))
        .addObject()
        .put("role", "COMPANY")
        .put("name", "某渔业有限公司")
        .put("creditCode", Messages.COMPANY_CREDIT_CODE);

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertThat(answer.status()).isEqualTo(202);
  }

  @Test
  void shouldRefuseWith400WhenSentAtIsMoreThanFiveMinutesAhead() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    message.put("sentAt", inMinutes(6));

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/sentAt");
  }

  @Test
  void shouldAcceptMessageWhenSentAtIsFourMinutesAhead() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    message.put("sentAt", inMinutes(4));

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertThat(answer.status()).isEqualTo(202);
  }

  @Test
  void shouldRefuseWith400WhenSentAtHasNoOffset() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    message.put("sentAt", "2026-05-06T09:30:00");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/sentAt");
  }

  @Test
  void shouldRefuseWith400WhenEvidenceKindIsNotInTheClosedList() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    ((ObjectNode) message.get("payload").get("evidence").get(0)).put("kind", "photo");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/payload/evidence/0/kind");
  }

  @Test
  void shouldRefuseWith400WhenAlertKindAndSeverityAreNotInTheirClosedLists() {
    // given
    ObjectNode alert = Messages.of("FISHING_BAN_ALERT", "agriculture", null, null);
    ((ObjectNode) alert.get("payload")).put("kind", "DYNAMITE_FISHING").put("severity", "EXTREME");

    // when
    Answer answer = hub.post("agriculture", alert);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactlyInAnyOrder("/payload/kind", "/payload/severity");
  }

  @Test
  void shouldRefuseWith400WhenAnAlertCarriesACaseNumber() {
    // given
    ObjectNode alert = Messages.of("FISHING_BAN_ALERT", "agriculture", null, null);
    alert.put("caseNumber", Messages.newCaseNumber());

    // when
    Answer answer = hub.post("agriculture", alert);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/caseNumber");
  }

  @Test
  void shouldRefuseWith400WhenACaseMessageHasNoCaseNumber() {
    // given
    ObjectNode message = Messages.of("CASE_TRANSFER", "agriculture", null, null);
    message.remove("caseNumber");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/caseNumber");
  }

  @Test
  void shouldRefuseWith400WhenTheAlertNamesAnUnknownWaterArea() {
    // given
    ObjectNode alert = Messages.alert("agriculture", "ALERT-" + UUID.randomUUID(), "atlantis");

    // when
    Answer answer = hub.post("agriculture", alert);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/payload/waterArea");
  }

  @Test
  void shouldRefuseWith400WhenTheAddresseeIsNotAnAgency() {
    // given
    ObjectNode suggestion = suggestionTo("fisheries-bureau");

    // when
    Answer answer = hub.post("procuratorate", suggestion);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/payload/addressee");
  }

  // ---------------------------------------------------------------- 200, 409, 422

  @Test
  void shouldAnswer200DuplicateWithTheOriginalReceiptWhenTheSameMessageIsPostedAgain() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    Answer first = hub.post("agriculture", transfer);

    // when
    Answer again = hub.post("agriculture", transfer);

    // then
    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.get("status").asString()).isEqualTo("DUPLICATE");
    assertThat(again.get("duplicateOf").asString()).isEqualTo(transfer.get("messageId").asString());
    assertThat(again.get("receiptId").asString()).isEqualTo(first.get("receiptId").asString());
  }

  @Test
  void shouldRefuseWith409WhenTheMessageIdWasAcceptedWithOtherContent() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    Answer first = hub.post("agriculture", transfer);
    ((ObjectNode) transfer.get("payload")).put("transferNo", "洪移〔2026〕改号");

    // when
    Answer conflict = hub.post("agriculture", transfer);

    // then
    assertThat(first.status()).isEqualTo(202);
    assertProblem(conflict, 409, CONFLICT);
    assertThat(conflict.get("messageId").asString())
        .isEqualTo(transfer.get("messageId").asString());
    assertThat(conflict.get("receiptId").asString()).isEqualTo(first.get("receiptId").asString());
  }

  @Test
  void shouldRefuseWith422NamingTheRuleWhenACaseRuleIsBroken() {
    // given: a filing decision for a case the police never received
    ObjectNode filing = Messages.of("FILING_DECISION", "police", Messages.newCaseNumber(), null);

    // when
    Answer answer = hub.post("police", filing);

    // then
    assertProblem(answer, 422, CASE_RULE);
    assertThat(answer.get("rule").asString()).isEqualTo("T3");
  }

  // ---------------------------------------------------------------- check order

  @Test
  void shouldAnswer401BeforeEverythingElseWhenCredentialsAreMissing() {
    // given: oversized, not JSON, wrong content type
    byte[] body = "not json at all".repeat(LIMIT / 10).getBytes(StandardCharsets.UTF_8);

    // when
    Answer answer = hub.postRaw(null, "text/plain", body);

    // then
    assertProblem(answer, 401, UNAUTHORIZED);
  }

  @Test
  void shouldAnswer401BeforeParsingWhenAnOversizedMultipartBodyComesWithoutCredentials() {
    // given
    String boundary = "hubtestboundary";
    String part =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.json\"\r\n"
            + "Content-Type: application/json\r\n\r\n"
            + "x".repeat(LIMIT + 10)
            + "\r\n--"
            + boundary
            + "--\r\n";

    // when
    Answer anonymous =
        hub.postRaw(
            null,
            "multipart/form-data; boundary=" + boundary,
            part.getBytes(StandardCharsets.UTF_8));
    Answer agency =
        hub.postRaw(
            "agriculture",
            "multipart/form-data; boundary=" + boundary,
            part.getBytes(StandardCharsets.UTF_8));

    // then
    assertProblem(anonymous, 401, UNAUTHORIZED);
    assertProblem(agency, 413, TOO_LARGE);
  }

  @Test
  void shouldAnswer413WhenTheBodyIsBothOversizedAndNotJson() {
    // given
    byte[] body = "{\"not\": json".repeat(LIMIT / 10).getBytes(StandardCharsets.UTF_8);

    // when
    Answer withLength = hub.postRaw("agriculture", JSON, body);
    Answer chunked = hub.postChunked("agriculture", JSON, body);

    // then
    assertProblem(withLength, 413, TOO_LARGE);
    assertProblem(chunked, 413, TOO_LARGE);
  }

  @Test
  void shouldAnswer413WhenTheBodyIsBothOversizedAndOfTheWrongContentType() {
    // given
    byte[] body = paddedTransfer(LIMIT + 100);

    // when
    Answer withLength = hub.postRaw("agriculture", "text/plain", body);
    Answer chunked = hub.postChunked("agriculture", "text/plain", body);

    // then
    assertProblem(withLength, 413, TOO_LARGE);
    assertProblem(chunked, 413, TOO_LARGE);
  }

  @Test
  void shouldAnswer415WhenTheContentTypeIsWrongAndTheJsonIsBroken() {
    // given
    byte[] body = "{\"messageId\": ".getBytes(StandardCharsets.UTF_8);

    // when
    Answer answer = hub.postRaw("agriculture", "text/plain", body);

    // then
    assertProblem(answer, 415, UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  void shouldAnswer400WhenTheJsonIsBrokenAndTheSenderSpoofed() {
    // given
    String broken =
        Messages.of("CASE_TRANSFER", "environment", Messages.newCaseNumber(), null)
            .toString()
            .replace("\"payload\":{", "\"payload\":{{");

    // when
    Answer answer = hub.postRaw("agriculture", JSON, broken.getBytes(StandardCharsets.UTF_8));

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
  }

  @Test
  void shouldAnswer400WhenTheTypeIsUnknownAndTheSenderSpoofed() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "environment", Messages.newCaseNumber(), null);
    message.put("type", "NO_SUCH_TYPE");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/type");
  }

  @Test
  void shouldAnswer403WhenTheSenderIsSpoofedAndThePayloadInvalid() {
    // given
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "environment", Messages.newCaseNumber(), null);
    ((ObjectNode) message.get("payload")).remove("transferNo");
    party(message).put("idNumber", "421083198001010012");

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertForbidden(answer, SPOOFED_SENDER);
    assertThat(answer.get("errors")).isNull();
  }

  @Test
  void shouldAnswer403WhenTheTypeIsNotAllowedAndThePayloadInvalid() {
    // given
    ObjectNode message = Messages.of("CASE_TRANSFER", "police", Messages.newCaseNumber(), null);
    ((ObjectNode) message.get("payload")).remove("facts");

    // when
    Answer answer = hub.post("police", message);

    // then
    assertForbidden(answer, "agency police may not send CASE_TRANSFER (rule T1)");
  }

  @Test
  void shouldAnswer403WhenTheSenderIsNoPartyOfTheCaseAndThePayloadInvalid() {
    // given
    String caseNumber = Messages.newCaseNumber();
    assertThat(
            hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null))
                .status())
        .isEqualTo(202);
    ObjectNode outsider = Messages.of("ADMIN_PENALTY_DECISION", "market", caseNumber, null);
    ((ObjectNode) outsider.get("payload")).remove("penalty");

    // when
    Answer answer = hub.post("market", outsider);

    // then
    assertForbidden(answer, NOT_A_PARTY);
  }

  @Test
  void shouldAnswer400WhenThePayloadIsInvalidAndTheMessageIdADuplicate() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    ((ObjectNode) transfer.get("payload")).remove("transferNo");

    // when
    Answer answer = hub.post("agriculture", transfer);

    // then
    assertProblem(answer, 400, INVALID_MESSAGE);
    assertThat(pointers(answer)).containsExactly("/payload/transferNo");
  }

  @Test
  void shouldAnswer409BeforeCaseRulesWhenTheMessageIdBelongsToAnotherSender() {
    // given: the police reuse agriculture's messageId for a decision that would break rule T3
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    ObjectNode filing = Messages.of("FILING_DECISION", "police", Messages.newCaseNumber(), null);
    filing.put("messageId", transfer.get("messageId").asString());

    // when
    Answer answer = hub.post("police", filing);

    // then
    assertProblem(answer, 409, CONFLICT);
    assertThat(answer.get("receiptId")).isNull();
  }

  @Test
  void shouldAnswer409WithTheReceiptBeforeCaseRulesWhenTheSenderReusesItsMessageId() {
    // given: an accepted filing decision, then its messageId on a case the police never received
    String caseNumber = Messages.newCaseNumber();
    assertThat(
            hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null))
                .status())
        .isEqualTo(202);
    ObjectNode filing = Messages.of("FILING_DECISION", "police", caseNumber, null);
    Answer first = hub.post("police", filing);
    ObjectNode elsewhere = Messages.of("FILING_DECISION", "police", Messages.newCaseNumber(), null);
    elsewhere.put("messageId", filing.get("messageId").asString());

    // when
    Answer answer = hub.post("police", elsewhere);

    // then
    assertThat(first.status()).isEqualTo(202);
    assertProblem(answer, 409, CONFLICT);
    assertThat(answer.get("receiptId").asString()).isEqualTo(first.get("receiptId").asString());
  }

  // ---------------------------------------------------------------- no personal data in answers

  static Stream<Arguments> refusalsCarryingPersonalData() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(
        refusal(
            "resident ID with a wrong check digit",
            "agriculture",
            m -> party(m).put("idNumber", Messages.SUSPECT_ID.substring(0, 17) + "9")));
    cases.add(
        refusal(
            "resident ID of 19 digits",
            "agriculture",
            m -> party(m).put("idNumber", Messages.SUSPECT_ID + "1")));
    cases.add(
        refusal(
            "name too long",
            "agriculture",
            m -> party(m).put("name", Messages.SUSPECT_NAME.repeat(40))));
    cases.add(
        refusal(
            "phone with a control character",
            "agriculture",
            m -> party(m).put("phone", Messages.SUSPECT_PHONE + "\n")));
    cases.add(
        refusal(
            "name as an evidence kind",
            "agriculture",
            m ->
                ((ObjectNode) m.get("payload").get("evidence").get(0))
                    .put("kind", Messages.SUSPECT_NAME)));
    cases.add(
        refusal("name as the type", "agriculture", m -> m.put("type", Messages.SUSPECT_NAME)));
    cases.add(
        refusal(
            "phone as the sender", "agriculture", m -> m.put("sender", Messages.SUSPECT_PHONE)));
    cases.add(
        refusal(
            "ID as the schemaVersion",
            "agriculture",
            m -> m.put("schemaVersion", Messages.SUSPECT_ID)));
    cases.add(
        refusal(
            "ID as the messageId", "agriculture", m -> m.put("messageId", Messages.SUSPECT_ID)));
    cases.add(
        refusal(
            "ID in a case number with a slash",
            "agriculture",
            m -> m.put("caseNumber", "洪/" + Messages.SUSPECT_ID)));
    cases.add(
        refusal(
            "phone as the addressee",
            "procuratorate",
            m -> {
              m.put("type", "PROCURATORIAL_SUGGESTION").put("sender", "procuratorate");
              ObjectNode p = m.putObject("payload");
              p.put("addressee", Messages.SUSPECT_PHONE)
                  .put("documentNo", "洪检建〔2026〕1号")
                  .put("content", Messages.SUSPECT_NAME + " " + Messages.SUSPECT_ID);
            }));
    cases.add(
        refusal(
            "phone as the water area",
            "agriculture",
            m -> {
              ObjectNode alert =
                  Messages.alert(
                      "agriculture", "ALERT-" + UUID.randomUUID(), Messages.SUSPECT_PHONE);
              ((ObjectNode) alert.get("payload")).put("description", Messages.SUSPECT_NAME);
              m.removeAll();
              m.setAll(alert);
            }));
    cases.add(
        refusal(
            "spoofed sender (403)",
            "environment",
            m -> party(m).put("name", Messages.SUSPECT_NAME)));
    return cases.stream();
  }

  private static Arguments refusal(String why, String caller, Consumer<ObjectNode> change) {
    ObjectNode message =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    change.accept(message);
    return Arguments.of(why, caller, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusalsCarryingPersonalData")
  void shouldNeverEchoPersonalDataWhenRefusingAMessage(
      String why, String caller, ObjectNode message) {
    // when
    Answer answer = hub.post(caller, message);

    // then
    assertThat(answer.status()).as(answer.text()).isIn(400, 403);
    assertProblem(answer, answer.status(), answer.status() == 403 ? FORBIDDEN : INVALID_MESSAGE);
    assertThat(answer.text())
        .doesNotContain(Messages.SUSPECT_NAME, Messages.SUSPECT_ID, Messages.SUSPECT_PHONE)
        .doesNotContain(Messages.SUSPECT_ID.substring(0, 17));
  }

  @Test
  void shouldNeverEchoPersonalDataWhenTheBodyIsNotJson() {
    // given
    String broken =
        "{\"name\": \""
            + Messages.SUSPECT_NAME
            + "\", \"idNumber\": "
            + Messages.SUSPECT_ID
            + "x, \"phone\": \""
            + Messages.SUSPECT_PHONE;

    // when
    Answer syntax = hub.postRaw("agriculture", JSON, broken.getBytes(StandardCharsets.UTF_8));
    Answer mediaType =
        hub.postRaw("agriculture", "text/plain", broken.getBytes(StandardCharsets.UTF_8));

    // then
    assertProblem(syntax, 400, INVALID_MESSAGE);
    assertProblem(mediaType, 415, UNSUPPORTED_MEDIA_TYPE);
    for (Answer answer : List.of(syntax, mediaType)) {
      assertThat(answer.text())
          .doesNotContain(Messages.SUSPECT_NAME, Messages.SUSPECT_ID, Messages.SUSPECT_PHONE);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A problem answer of the given status and type ({@code urn:hub:problem:<slug>}, as the hub's
   * handlers write it) with a title and a detail.
   */
  static void assertProblem(Answer answer, int status, String problemType) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json()).as("problem body").isNotNull();
    assertThat(answer.get("type").asString()).as(answer.text()).isEqualTo(problemType);
    assertThat(answer.get("title").asString()).isNotBlank();
    assertThat(answer.get("status").asInt()).isEqualTo(status);
    assertThat(answer.get("detail").asString()).isNotBlank();
  }

  /**
   * A 403: every cause has the one problem type {@code urn:hub:problem:forbidden}, so the cause is
   * told apart by the detail the hub writes for it.
   */
  static void assertForbidden(Answer answer, String cause) {
    assertProblem(answer, 403, FORBIDDEN);
    assertThat(answer.get("detail").asString()).as(answer.text()).contains(cause);
  }

  static List<String> pointers(Answer answer) {
    JsonNode errors = answer.get("errors");
    assertThat(errors).as("errors of " + answer.text()).isNotNull();
    List<String> pointers = new ArrayList<>();
    errors.forEach(error -> pointers.add(error.get("pointer").asString()));
    return pointers;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asString()));
    return texts;
  }

  private static ObjectNode party(ObjectNode message) {
    return (ObjectNode) message.get("payload").get("parties").get(0);
  }

  private static ObjectNode suggestionTo(String addressee) {
    return Messages.of(
        "PROCURATORIAL_SUGGESTION", "procuratorate", Messages.newCaseNumber(), addressee);
  }

  private static String inMinutes(long minutes) {
    return OffsetDateTime.now(ZoneOffset.ofHours(8))
        .plusMinutes(minutes)
        .withNano(0)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static byte[] bytes(JsonNode message) {
    return HubClient.JSON.writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
  }

  /** A valid case transfer padded (in an extra envelope field) to exactly {@code size} bytes. */
  private static byte[] paddedTransfer(int size) {
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    transfer.put("padding", "");
    int bare = bytes(transfer).length;
    transfer.put("padding", "x".repeat(size - bare));
    byte[] body = bytes(transfer);
    assertThat(body).hasSize(size);
    return body;
  }

  private static Answer answerOf(HttpResponse<String> response) {
    JsonNode json;
    try {
      json = HubClient.JSON.readTree(response.body());
    } catch (RuntimeException notJson) {
      json = null;
    }
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null),
        response.body(),
        json);
  }
}
