package cn.gov.honghu.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The case rules of HUB-SPEC section 5 answered with 422 (and the retraction of another agency's
 * message with 403): a refused message names its row, stores nothing, and its messageId stays free,
 * so the sender can retry once the case allows it.
 */
@ApplicationTest
class CaseRulesTest {

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldRefuseFilingDecisionWhenTheCaseIsNewToTheHub() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode filing = Messages.of("FILING_DECISION", "police", caseNumber, null);

    // when
    Answer answer = hub.post("police", filing);

    // then
    assertCaseRule(answer, "T3");
    assertNothingStored("police", filing);
    accepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)));
    assertAccepted(hub.post("police", filing), filing, "agriculture", "procuratorate");
  }

  @Test
  void shouldRefuseFilingDecisionWhenThePoliceOnlyReceivedAnIndictmentCopy() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        hub.post("procuratorate", Messages.of("INDICTMENT", "procuratorate", caseNumber, null)));
    ObjectNode filing = Messages.of("FILING_DECISION", "police", caseNumber, null);

    // when
    Answer answer = hub.post("police", filing);

    // then
    assertCaseRule(answer, "T3");
    assertNothingStored("police", filing);
  }

  @Test
  void shouldRefuseReconsiderationRequestWhenThereIsNoNotFiledDecision() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)));
    ObjectNode request = Messages.of("RECONSIDERATION_REQUEST", "agriculture", caseNumber, null);

    // when
    Answer beforeAnyDecision = hub.post("agriculture", request);
    accepted(hub.post("police", Messages.of("FILING_DECISION", "police", caseNumber, null)));
    Answer afterFiled = hub.post("agriculture", request);

    // then
    assertCaseRule(beforeAnyDecision, "T4");
    assertCaseRule(afterFiled, "T4");
    assertNothingStored("agriculture", request);
    accepted(hub.post("police", notFiled(caseNumber)));
    assertAccepted(hub.post("agriculture", request), request, "police", "procuratorate");
  }

  @Test
  void shouldRefuseReconsiderationRequestWhenTheSenderIsNotTheTransferringAgency() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)));
    accepted(hub.post("police", notFiled(caseNumber)));
    accepted(
        hub.post(
            "procuratorate",
            Messages.of("SUPERVISION_NOTICE", "procuratorate", caseNumber, "environment")));
    ObjectNode request = Messages.of("RECONSIDERATION_REQUEST", "environment", caseNumber, null);

    // when
    Answer answer = hub.post("environment", request);

    // then
    assertCaseRule(answer, "T4");
    assertNothingStored("environment", request);
    ObjectNode handover = Messages.of("EVIDENCE_HANDOVER", "environment", caseNumber, null);
    handover.put("messageId", messageId(request));
    assertAccepted(hub.post("environment", handover), request, "police");
  }

  @Test
  void shouldRefuseReconsiderationDecisionWhenThereIsNoRequest() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(hub.post("water", Messages.of("CASE_TRANSFER", "water", caseNumber, null)));
    accepted(hub.post("police", notFiled(caseNumber)));
    ObjectNode decision = Messages.of("RECONSIDERATION_DECISION", "police", caseNumber, null);

    // when
    Answer answer = hub.post("police", decision);

    // then
    assertCaseRule(answer, "T5");
    assertNothingStored("police", decision);
    accepted(hub.post("water", Messages.of("RECONSIDERATION_REQUEST", "water", caseNumber, null)));
    assertAccepted(hub.post("police", decision), decision, "water", "procuratorate");
  }

  @Test
  void shouldRefuseSuggestionReplyWhenTheSuggestionWasAddressedToAnotherAgency() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)));
    accepted(
        hub.post(
            "procuratorate",
            Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, "environment")));
    ObjectNode reply = Messages.of("SUGGESTION_REPLY", "agriculture", caseNumber, null);

    // when
    Answer answer = hub.post("agriculture", reply);

    // then
    assertCaseRule(answer, "T11");
    assertNothingStored("agriculture", reply);
    accepted(
        hub.post(
            "procuratorate",
            Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, "agriculture")));
    assertAccepted(hub.post("agriculture", reply), reply, "procuratorate");
  }

  @Test
  void shouldRefuseRectificationReplyWhenNoNoticeWasAddressedToTheSender() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(hub.post("market", penaltyDecision("market", caseNumber)));
    ObjectNode reply = Messages.of("RECTIFICATION_REPLY", "market", caseNumber, null);

    // when
    Answer withoutNotice = hub.post("market", reply);
    accepted(
        hub.post(
            "justice",
            Messages.of("ENFORCEMENT_SUPERVISION_NOTICE", "justice", caseNumber, "agriculture")));
    Answer withNoticeToAnother = hub.post("market", reply);

    // then
    assertCaseRule(withoutNotice, "T13");
    assertCaseRule(withNoticeToAnother, "T13");
    assertNothingStored("market", reply);
    accepted(
        hub.post(
            "justice",
            Messages.of("ENFORCEMENT_SUPERVISION_NOTICE", "justice", caseNumber, "market")));
    assertAccepted(hub.post("market", reply), reply, "justice");
  }

  @Test
  void shouldRefuseReverseTransferResultWhenNoReverseTransferWasAddressedToTheSender() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)));
    ObjectNode result = Messages.of("REVERSE_TRANSFER_RESULT", "agriculture", caseNumber, null);

    // when
    Answer withoutReverseTransfer = hub.post("agriculture", result);
    accepted(hub.post("police", Messages.of("REVERSE_TRANSFER", "police", caseNumber, "water")));
    Answer withReverseTransferToAnother = hub.post("agriculture", result);

    // then
    assertCaseRule(withoutReverseTransfer, "T14");
    assertCaseRule(withReverseTransferToAnother, "T14");
    assertNothingStored("agriculture", result);
    accepted(
        hub.post("police", Messages.of("REVERSE_TRANSFER", "police", caseNumber, "agriculture")));
    assertAccepted(hub.post("agriculture", result), result, "police", "procuratorate");
  }

  @Test
  void shouldRefuseReverseTransferWhenTheAddresseeIsNotAdministrative() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode toCourt = Messages.of("REVERSE_TRANSFER", "police", caseNumber, "court");
    ObjectNode toProcuratorate =
        Messages.of("REVERSE_TRANSFER", "police", caseNumber, "procuratorate");
    ObjectNode toItself = Messages.of("REVERSE_TRANSFER", "police", caseNumber, "police");

    // when
    Answer answerToCourt = hub.post("police", toCourt);
    Answer answerToProcuratorate = hub.post("police", toProcuratorate);
    Answer answerToItself = hub.post("police", toItself);

    // then
    assertCaseRule(answerToCourt, "T9");
    assertCaseRule(answerToProcuratorate, "T9");
    assertCaseRule(answerToItself, "T9");
    assertNothingStored("police", toCourt);
    ((ObjectNode) toCourt.get("payload")).put("addressee", "natural-resources");
    assertAccepted(hub.post("police", toCourt), toCourt, "natural-resources", "procuratorate");
  }

  @Test
  void shouldRefuseSupervisionNoticeWhenTheAddresseeIsNeitherPoliceNorAdministrative() {
    // given
    ObjectNode notice =
        Messages.of("SUPERVISION_NOTICE", "procuratorate", Messages.newCaseNumber(), "court");

    // when
    Answer answer = hub.post("procuratorate", notice);

    // then
    assertCaseRule(answer, "T6");
    assertNothingStored("procuratorate", notice);
  }

  @Test
  void shouldRefuseProcuratorialSuggestionWhenItsOnlyRecipientWouldBeTheSenderItself() {
    // given
    ObjectNode suggestion =
        Messages.of(
            "PROCURATORIAL_SUGGESTION", "procuratorate", Messages.newCaseNumber(), "procuratorate");

    // when
    Answer answer = hub.post("procuratorate", suggestion);

    // then
    assertCaseRule(answer, "T10");
    assertNothingStored("procuratorate", suggestion);
    ((ObjectNode) suggestion.get("payload")).put("addressee", "water");
    assertAccepted(hub.post("procuratorate", suggestion), suggestion, "water");
  }

  @Test
  void shouldRefuseEnforcementSupervisionNoticeWhenJusticeAddressesItToItself() {
    // given
    ObjectNode notice =
        Messages.of(
            "ENFORCEMENT_SUPERVISION_NOTICE", "justice", Messages.newCaseNumber(), "justice");

    // when
    Answer answer = hub.post("justice", notice);

    // then
    assertCaseRule(answer, "T12");
    assertNothingStored("justice", notice);
  }

  @Test
  void shouldRefusePenaltyDecisionWhenJusticeIssuesItAndItWouldOnlyBeRecordedWithJustice() {
    // given
    ObjectNode decision = penaltyDecision("justice", Messages.newCaseNumber());

    // when
    Answer answer = hub.post("justice", decision);

    // then
    assertCaseRule(answer, "T2");
    assertNothingStored("justice", decision);
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "justice", Messages.newCaseNumber(), null);
    transfer.put("messageId", messageId(decision));
    assertAccepted(hub.post("justice", transfer), decision, "police", "procuratorate");
  }

  @Test
  void shouldRefuseRetractionWithForbiddenWhenTheMessageIsAnotherAgencys() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    accepted(hub.post("agriculture", transfer));
    ObjectNode retraction = retraction("police", caseNumber, messageId(transfer));

    // when
    Answer answer = hub.post("police", retraction);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(403);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.get("detail").asString()).isNotBlank();
    assertNothingStored("police", retraction);
    ObjectNode filing = Messages.of("FILING_DECISION", "police", caseNumber, null);
    filing.put("messageId", messageId(retraction));
    assertAccepted(hub.post("police", filing), retraction, "agriculture", "procuratorate");
  }

  @Test
  void shouldRefuseRetractionWhenTheRetractedMessageIsUnknown() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)));
    ObjectNode retraction = retraction("agriculture", caseNumber, UUID.randomUUID().toString());

    // when
    Answer answer = hub.post("agriculture", retraction);

    // then
    assertCaseRule(answer, "T16");
    assertNothingStored("agriculture", retraction);
  }

  @Test
  void shouldRefuseRetractionWhenTheRetractedMessageBelongsToAnotherCase() {
    // given
    String caseNumber = Messages.newCaseNumber();
    String otherCase = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", otherCase, null);
    accepted(hub.post("agriculture", transfer));
    accepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)));
    ObjectNode retraction = retraction("agriculture", caseNumber, messageId(transfer));

    // when
    Answer answer = hub.post("agriculture", retraction);

    // then
    assertCaseRule(answer, "T16");
    assertNothingStored("agriculture", retraction);
  }

  @Test
  void shouldAcceptRetractionToTheRetractedRecipientsOnceWhenTheSenderRetractsItsOwnMessage() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "environment", caseNumber, null);
    accepted(hub.post("environment", transfer));
    ObjectNode retraction = retraction("environment", caseNumber, messageId(transfer));

    // when
    Answer answer = hub.post("environment", retraction);
    ObjectNode again = retraction("environment", caseNumber, messageId(transfer));
    ((ObjectNode) again.get("payload")).put("reason", "再次撤回");
    Answer secondRetraction = hub.post("environment", again);

    // then
    assertAccepted(answer, retraction, "police", "procuratorate");
    assertThat(texts(answer.get("ruleIds"))).containsExactly("T16");
    assertCaseRule(secondRetraction, "T16");
    assertNothingStored("environment", again);
  }

  @Test
  void shouldRefuseAlertAckWhenTheAlertIsUnknown() {
    // given
    ObjectNode ack = Messages.of("ALERT_ACK", "police", null, null);
    ((ObjectNode) ack.get("payload")).put("alertId", "ALERT-" + UUID.randomUUID());

    // when
    Answer answer = hub.post("police", ack);

    // then
    assertCaseRule(answer, "A2");
    assertNothingStored("police", ack);
    ObjectNode alert = Messages.alert("police", "ALERT-" + UUID.randomUUID(), "yangtze-honghu");
    alert.put("messageId", messageId(ack));
    assertAccepted(hub.post("police", alert), ack, "environment", "agriculture", "water");
  }

  @Test
  void shouldRefuseAlertAckWhenTheIncidentIsUnknown() {
    // given
    ObjectNode ack = Messages.envelope("ALERT_ACK", "agriculture", null);
    ((ObjectNode) ack.get("payload"))
        .put("incidentId", UUID.randomUUID().toString())
        .put("action", "ON_SCENE");

    // when
    Answer answer = hub.post("agriculture", ack);

    // then
    assertCaseRule(answer, "A2");
    assertNothingStored("agriculture", ack);
  }

  private static void assertCaseRule(Answer answer, String rule) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(422);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.get("status").asInt()).isEqualTo(422);
    assertThat(answer.get("rule").asString()).isEqualTo(rule);
    assertThat(answer.get("detail").asString()).isNotBlank();
  }

  /** A refused message left no trace its sender could see: its messageId is unknown. */
  private void assertNothingStored(String sender, ObjectNode refused) {
    Answer status = hub.get(sender, "/api/v1/messages/" + messageId(refused));
    assertThat(status.status()).as(status.text()).isEqualTo(404);
  }

  /**
   * A 202 for the message posted with the messageId of {@code refused} (no 409: the refusal did not
   * claim the id), with these recipients.
   */
  private static void assertAccepted(Answer answer, ObjectNode refused, String... recipients) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(answer.get("status").asString()).isEqualTo("ACCEPTED");
    assertThat(answer.get("messageId").asString()).isEqualTo(messageId(refused));
    assertThat(texts(answer.get("recipients"))).containsExactlyInAnyOrder(recipients);
  }

  private static void accepted(Answer answer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
  }

  private static ObjectNode notFiled(String caseNumber) {
    ObjectNode decision = Messages.of("FILING_DECISION", "police", caseNumber, null);
    ((ObjectNode) decision.get("payload")).put("decision", "NOT_FILED").put("reason", "证据不足，不予立案");
    return decision;
  }

  /** A penalty decision whose facts meet no criminal threshold, so it goes to justice only. */
  private static ObjectNode penaltyDecision(String sender, String caseNumber) {
    ObjectNode decision = Messages.of("ADMIN_PENALTY_DECISION", sender, caseNumber, null);
    ((ObjectNode) decision.get("payload"))
        .putObject("facts")
        .put("offence", "OTHER")
        .put("occurredAt", "2026-05-03T10:00:00+08:00")
        .put("place", "洪湖市测试地点");
    return decision;
  }

  private static ObjectNode retraction(String sender, String caseNumber, String retractedId) {
    ObjectNode retraction = Messages.of("RETRACTION", sender, caseNumber, null);
    ((ObjectNode) retraction.get("payload"))
        .put("retractedMessageId", retractedId)
        .put("reason", "误发");
    return retraction;
  }

  private static String messageId(ObjectNode message) {
    return message.get("messageId").asString();
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asString()));
    return values;
  }
}
