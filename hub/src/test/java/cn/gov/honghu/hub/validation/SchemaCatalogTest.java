package cn.gov.honghu.hub.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The message contract of {@code schemas/v1} as the hub applies it: pointers and details. */
class SchemaCatalogTest {

  private static final SchemaCatalog CATALOG = new SchemaCatalog();
  private static final JsonMapper JSON = JsonMapper.shared();

  @ParameterizedTest
  @ValueSource(
      strings = {"case-transfer.json", "admin-penalty-decision.json", "fishing-ban-alert.json"})
  void shouldAcceptSampleWhenItFollowsTheContract(String sample) {
    // given
    ObjectNode message = sample(sample);

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).isEmpty();
  }

  @Test
  void shouldKnowEveryMessageTypeWhenVersionIsOne() {
    // given
    List<String> types =
        List.of(
            "CASE_TRANSFER",
            "ADMIN_PENALTY_DECISION",
            "FILING_DECISION",
            "RECONSIDERATION_REQUEST",
            "RECONSIDERATION_DECISION",
            "SUPERVISION_NOTICE",
            "INDICTMENT",
            "JUDGMENT",
            "REVERSE_TRANSFER",
            "PROCURATORIAL_SUGGESTION",
            "SUGGESTION_REPLY",
            "ENFORCEMENT_SUPERVISION_NOTICE",
            "RECTIFICATION_REPLY",
            "REVERSE_TRANSFER_RESULT",
            "EVIDENCE_HANDOVER",
            "RETRACTION",
            "FISHING_BAN_ALERT",
            "ALERT_ACK",
            "TRANSFER_OMISSION_ALERT",
            "DEADLINE_OVERDUE",
            "ALERT_ESCALATION");

    // when / then
    assertThat(types).allMatch(type -> CATALOG.knows(type, "1"));
    assertThat(CATALOG.types()).containsExactlyInAnyOrderElementsOf(types);
  }

  @Test
  void shouldNotKnowTypeWhenTypeOrVersionIsUnknown() {
    // given / when / then
    assertThat(CATALOG.knows("CASE_TRANSFER", "2")).isFalse();
    assertThat(CATALOG.knows("CASE_TRANSFER", null)).isFalse();
    assertThat(CATALOG.knows("CASE_TRANSFERS", "1")).isFalse();
    assertThat(CATALOG.knows(null, "1")).isFalse();
    assertThatThrownBy(() -> CATALOG.validate("NOPE", "1", sample("case-transfer.json")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldPointAtMissingFieldWhenRequiredPayloadFieldIsAbsent() {
    // given
    ObjectNode message = sample("case-transfer.json");
    payload(message).remove("transferNo");
    payload(message).remove("approvedAt");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/payload/approvedAt", "is required"),
            new Violation("/payload/transferNo", "is required"));
  }

  @Test
  void shouldPointAtEnvelopeFieldWhenEnvelopeFieldIsAbsent() {
    // given
    ObjectNode message = sample("fishing-ban-alert.json");
    message.remove("sentAt");
    message.remove("sender");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/sender", "is required"), new Violation("/sentAt", "is required"));
  }

  @Test
  void shouldReportOnlyIdNumberWhenSuspectHasNoIdNumber() {
    // given
    ObjectNode message = sample("case-transfer.json");
    party(message, 0).remove("idNumber");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(new Violation("/payload/parties/0/idNumber", "is required"));
  }

  @Test
  void shouldReportOneViolationWhenFactsHaveNeitherWaterAreaNorPlace() {
    // given
    ObjectNode message = sample("case-transfer.json");
    facts(message).remove("waterArea");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/payload/facts/waterArea", "is required unless place is present"));
  }

  @Test
  void shouldAcceptFactsWhenOnlyPlaceIsGiven() {
    // given
    ObjectNode message = sample("case-transfer.json");
    facts(message).remove("waterArea");
    facts(message).put("place", "洪湖市新滩镇某码头");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).isEmpty();
  }

  @Test
  void shouldReportPenaltyAlternativeWhenNeitherFineNorMeasuresIsGiven() {
    // given
    ObjectNode message = sample("admin-penalty-decision.json");
    payload(message).set("penalty", JSON.createObjectNode());

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/payload/penalty/fineYuan", "is required unless measures is present"));
  }

  @Test
  void shouldRequireCompanyCreditCodeWhenPartyIsACompany() {
    // given
    ObjectNode message = sample("admin-penalty-decision.json");
    party(message, 0).remove("creditCode");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(new Violation("/payload/parties/0/creditCode", "is required"));
  }

  @Test
  void shouldRequireOnePartyWhenPartiesIsEmpty() {
    // given
    ObjectNode message = sample("admin-penalty-decision.json");
    payload(message).set("parties", JSON.createArrayNode());

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(new Violation("/payload/parties", "must have at least 1 item(s)"));
  }

  @Test
  void shouldRejectQuantityWhenItIsAString() {
    // given
    ObjectNode message = sample("case-transfer.json");
    facts(message).put("catchKg", "36.5");
    facts(message).put("inBanZone", "yes");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/payload/facts/catchKg", "must be of type number"),
            new Violation("/payload/facts/inBanZone", "must be of type boolean"));
  }

  @Test
  void shouldRejectPositionWhenItIsOutOfRange() {
    // given
    ObjectNode message = sample("fishing-ban-alert.json");
    payload(message).put("lat", 91);
    payload(message).put("lon", -180.5);

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/payload/lat", "must be at most 90"),
            new Violation("/payload/lon", "must be at least -180"));
  }

  @Test
  void shouldListAllowedValuesWhenEnumValueIsUnknown() {
    // given
    ObjectNode message = sample("fishing-ban-alert.json");
    payload(message).put("severity", "SEVERE");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/payload/severity", "must be one of [LOW, MEDIUM, HIGH, CRITICAL]"));
  }

  @Test
  void shouldRejectCaseNumberWhenMessageIsAnAlert() {
    // given
    ObjectNode message = sample("fishing-ban-alert.json");
    message.put("caseNumber", "洪农(渔)罚〔2026〕031号");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).containsExactly(new Violation("/caseNumber", "is not allowed"));
  }

  @Test
  void shouldRequireCaseNumberWhenMessageIsACaseMessage() {
    // given
    ObjectNode message = sample("admin-penalty-decision.json");
    message.remove("caseNumber");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).containsExactly(new Violation("/caseNumber", "is required"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"洪环罚/2026/12号", "洪环罚〔2026〕12号?", "洪环罚〔2026〕12号\n", ""})
  void shouldRejectCaseNumberWhenItHasAForbiddenCharacterOrIsEmpty(String caseNumber) {
    // given
    ObjectNode message = sample("admin-penalty-decision.json");
    message.put("caseNumber", caseNumber);

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).extracting(Violation::pointer).containsOnly("/caseNumber");
  }

  @Test
  void shouldRejectMessageIdWhenItIsNotAUuid() {
    // given
    ObjectNode message = sample("case-transfer.json");
    message.put("messageId", "5b0f3f7e-0d57-4a8e-9c8e");
    payload(message).put("approvedAt", "2026-05-05 16:00:00");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .extracting(Violation::pointer)
        .containsExactly("/messageId", "/payload/approvedAt");
    assertThat(violations)
        .allMatch(violation -> violation.detail().startsWith("must match pattern"));
  }

  @Test
  void shouldRejectTimestampWhenItHasNoOffset() {
    // given
    ObjectNode message = sample("fishing-ban-alert.json");
    message.put("sentAt", "2026-05-06T23:41:00");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).extracting(Violation::pointer).containsExactly("/sentAt");
  }

  @Test
  void shouldAcceptUnknownPropertiesWhenAgencyAddsItsOwnFields() {
    // given
    ObjectNode message = sample("case-transfer.json");
    message.put("x-agriculture-trace", "abc");
    payload(message).put("internalRef", 42);
    facts(message).put("vesselName", "鄂洪渔12345");
    party(message, 0).put("nickname", "老张");
    ((ArrayNode) payload(message).get("legalBasis"))
        .addObject()
        .put("law", "x")
        .put("article", "1")
        .put("version", "2020-01-01")
        .put("note", "extra");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).isEmpty();
  }

  @Test
  void shouldCheckResidentIdFormatWhenIdTypeIsAbsent() {
    // given
    ObjectNode message = sample("case-transfer.json");
    party(message, 0).put("idNumber", "E12345678");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/payload/parties/0/idNumber", "must match pattern ^[0-9]{17}[0-9X]$"));
  }

  @Test
  void shouldAcceptPassportNumberWhenIdTypeIsPassport() {
    // given
    ObjectNode message = sample("case-transfer.json");
    party(message, 0).put("idType", "PASSPORT").put("idNumber", "E12345678");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).isEmpty();
  }

  @Test
  void shouldAcceptAckWhenOnlyIncidentIdIsGiven() {
    // given
    ObjectNode message = ack();
    payload(message).remove("alertId");
    payload(message).put("incidentId", "INC-1");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).isEmpty();
  }

  @Test
  void shouldPointAtAlertIdWhenAckNamesNeitherAlertNorIncident() {
    // given
    ObjectNode message = ack();
    payload(message).remove("alertId");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/payload/alertId", "is required unless incidentId is present"));
  }

  @Test
  void shouldRequireReasonWhenFilingDecisionIsNotFiled() {
    // given
    ObjectNode message = sample("case-transfer.json");
    message.put("type", "FILING_DECISION").put("sender", "police");
    ObjectNode payload = JSON.createObjectNode();
    payload.put("decision", "NOT_FILED").put("decidedAt", "2026-05-07T10:00:00+08:00");
    message.set("payload", payload);

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).containsExactly(new Violation("/payload/reason", "is required"));
  }

  @Test
  void shouldRequireHubAsSenderWhenTypeIsHubGenerated() {
    // given
    ObjectNode message = sample("case-transfer.json");
    message.put("type", "DEADLINE_OVERDUE");
    ObjectNode payload = JSON.createObjectNode();
    payload.put("deadlineId", "D1-42").put("owedBy", "police").put("act", "FILING_DECISION");
    payload.put("dueAt", "2026-05-08T23:59:59+08:00").put("source", "Decree 310 Art. 8");
    message.set("payload", payload);

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).containsExactly(new Violation("/sender", "must be \"hub\""));
  }

  @Test
  void shouldRejectPayloadWhenItIsNotAnObject() {
    // given
    ObjectNode message = sample("case-transfer.json");
    message.put("payload", "see attachment");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations).containsExactly(new Violation("/payload", "must be of type object"));
  }

  @Test
  void shouldNeverEchoTheValueWhenDescribingAViolation() {
    // given
    String badId = "42108319800101001Z";
    String longName = "张".repeat(101);
    String badPhone = "1380000\u00010000";
    String badCreditCode = "91421083MA4C1B2D3!";
    ObjectNode message = sample("case-transfer.json");
    party(message, 0).put("idNumber", badId).put("name", longName).put("phone", badPhone);
    ((ArrayNode) payload(message).get("parties"))
        .addObject()
        .put("role", "COMPANY")
        .put("name", "某公司")
        .put("creditCode", badCreditCode);
    facts(message).put("method", "\u0007ELECTRIC");

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .extracting(Violation::pointer)
        .containsExactly(
            "/payload/facts/method",
            "/payload/parties/0/idNumber",
            "/payload/parties/0/name",
            "/payload/parties/0/phone",
            "/payload/parties/1/creditCode");
    assertThat(violations)
        .extracting(Violation::detail)
        .noneMatch(
            detail ->
                detail.contains(badId)
                    || detail.contains("张张")
                    || detail.contains("1380000")
                    || detail.contains(badCreditCode)
                    || detail.contains("\u0007"));
  }

  @Test
  void shouldReportEachViolationOnceSortedByPointerWhenSeveralFieldsAreWrong() {
    // given
    ObjectNode message = sample("case-transfer.json");
    message.put("schemaVersion", "2");
    payload(message).remove("evidence");
    facts(message).put("offence", "POACHING");
    party(message, 0).put("role", "VICTIM");
    ((ArrayNode) payload(message).get("parties")).add(party(message, 0).deepCopy());

    // when
    List<Violation> violations = validate(message);

    // then
    assertThat(violations)
        .containsExactly(
            new Violation("/payload/evidence", "is required"),
            new Violation(
                "/payload/facts/offence",
                "must be one of [ILLEGAL_FISHING, ILLEGAL_CATCH_TRADE, POLLUTION, ILLEGAL_MINING,"
                    + " FARMLAND_OCCUPATION, OTHER]"),
            new Violation("/payload/parties/0/role", "must be one of [SUSPECT, COMPANY, WITNESS]"),
            new Violation("/payload/parties/1/role", "must be one of [SUSPECT, COMPANY, WITNESS]"),
            new Violation("/schemaVersion", "must be \"1\""));
  }

  private static List<Violation> validate(ObjectNode message) {
    return CATALOG.validate(message.get("type").asString(), "1", message);
  }

  private static ObjectNode sample(String name) {
    try (InputStream in = SchemaCatalogTest.class.getResourceAsStream("/samples/" + name)) {
      assertThat(in).as("sample %s", name).isNotNull();
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode ack() {
    ObjectNode message = sample("fishing-ban-alert.json");
    message.put("type", "ALERT_ACK").put("sender", "police");
    ObjectNode payload = JSON.createObjectNode();
    payload.put("alertId", "ALERT-20260506-0042").put("action", "DISPATCHED");
    message.set("payload", payload);
    return message;
  }

  private static ObjectNode payload(JsonNode message) {
    return (ObjectNode) message.get("payload");
  }

  private static ObjectNode facts(JsonNode message) {
    return (ObjectNode) payload(message).get("facts");
  }

  private static ObjectNode party(JsonNode message, int index) {
    return (ObjectNode) payload(message).get("parties").get(index);
  }
}
