package cn.gov.honghu.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Inboxes;
import cn.gov.honghu.hub.support.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The recipients and rule ids of every routing row of HUB-SPEC section 5 (T1-T16, A1, A2), each row
 * reached over HTTP by first sending the earlier messages of the case it depends on.
 */
@ApplicationTest
class RoutingRowsTest {

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldSendCaseTransferToPoliceWithCopyToProcuratorateWhenAnAdministrativeAgencySendsIt() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);

    // when
    Answer answer = hub.post("agriculture", transfer);

    // then
    assertRouted(answer, "T1", "police", "procuratorate");
  }

  @Test
  void shouldPutTheCaseTransferInEachRecipientsInboxWhenAccepted() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "environment", caseNumber, null);
    String messageId = transfer.get("messageId").asString();

    // when
    assertRouted(hub.post("environment", transfer), "T1", "police", "procuratorate");

    // then
    for (String recipient : List.of("police", "procuratorate")) {
      JsonNode delivery = inboxDelivery(recipient, messageId);
      assertThat(delivery).as("delivery of %s to %s", messageId, recipient).isNotNull();
      assertThat(delivery.get("type").asString()).isEqualTo("CASE_TRANSFER");
      assertThat(delivery.get("caseNumber").asString()).isEqualTo(caseNumber);
      assertThat(delivery.get("message").get("sender").asString()).isEqualTo("environment");
      assertThat(texts(delivery.get("receipt").get("recipients")))
          .containsExactlyInAnyOrder("police", "procuratorate");
      acknowledge(recipient, delivery.get("deliveryId").asString());
    }
    Answer status = hub.get("environment", "/api/v1/messages/" + messageId);
    assertThat(status.status()).isEqualTo(200);
    List<String> deliveredTo = new ArrayList<>();
    status.get("deliveries").forEach(d -> deliveredTo.add(d.get("recipient").asString()));
    assertThat(deliveredTo).containsExactlyInAnyOrder("police", "procuratorate");
  }

  @Test
  void shouldRecordPenaltyDecisionWithJusticeWhenNoCriminalThresholdIsMet() {
    // given
    ObjectNode decision = belowThresholdPenaltyDecision("agriculture", Messages.newCaseNumber());

    // when
    Answer answer = hub.post("agriculture", decision);

    // then
    assertRouted(answer, "T2", "justice");
  }

  @Test
  void shouldSendFilingDecisionToTheTransferringAgencyWithCopyToProcuratorateWhenFiled() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("water", Messages.of("CASE_TRANSFER", "water", caseNumber, null));

    // when
    Answer answer = hub.post("police", Messages.of("FILING_DECISION", "police", caseNumber, null));

    // then
    assertRouted(answer, "T3", "water", "procuratorate");
  }

  @Test
  void shouldSendFilingDecisionToTheTransferringAgencyWithCopyToProcuratorateWhenNotFiled() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("market", Messages.of("CASE_TRANSFER", "market", caseNumber, null));

    // when
    Answer answer = hub.post("police", notFiled(caseNumber));

    // then
    assertRouted(answer, "T3", "market", "procuratorate");
  }

  @Test
  void shouldSendReconsiderationRequestToPoliceWithCopyToProcuratorateWhenTheCaseWasNotFiled() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));
    accepted("police", notFiled(caseNumber));

    // when
    Answer answer =
        hub.post(
            "agriculture", Messages.of("RECONSIDERATION_REQUEST", "agriculture", caseNumber, null));

    // then
    assertRouted(answer, "T4", "police", "procuratorate");
  }

  @Test
  void shouldSendReconsiderationDecisionToTheRequesterWithCopyToProcuratorateWhenRequested() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("environment", Messages.of("CASE_TRANSFER", "environment", caseNumber, null));
    accepted("police", notFiled(caseNumber));
    accepted(
        "environment", Messages.of("RECONSIDERATION_REQUEST", "environment", caseNumber, null));

    // when
    Answer answer =
        hub.post("police", Messages.of("RECONSIDERATION_DECISION", "police", caseNumber, null));

    // then
    assertRouted(answer, "T5", "environment", "procuratorate");
  }

  @Test
  void shouldSendSupervisionNoticeToThePoliceWhenTheyAreTheAddressee() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));

    // when
    Answer answer =
        hub.post(
            "procuratorate",
            Messages.of("SUPERVISION_NOTICE", "procuratorate", caseNumber, "police"));

    // then
    assertRouted(answer, "T6", "police");
  }

  @Test
  void shouldSendSupervisionNoticeToAnAdministrativeAgencyWhenItIsTheAddressee() {
    // given
    String caseNumber = Messages.newCaseNumber();

    // when
    Answer answer =
        hub.post(
            "procuratorate",
            Messages.of("SUPERVISION_NOTICE", "procuratorate", caseNumber, "natural-resources"));

    // then
    assertRouted(answer, "T6", "natural-resources");
  }

  @Test
  void shouldSendIndictmentToCourtWithCopyToPoliceWhenTheProcuratorateIndicts() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));

    // when
    Answer answer =
        hub.post("procuratorate", Messages.of("INDICTMENT", "procuratorate", caseNumber, null));

    // then
    assertRouted(answer, "T7", "court", "police");
  }

  @Test
  void shouldSendJudgmentToProcuratoratePoliceAndTransferringAgencyWhenNoCommunityCorrection() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));
    accepted("procuratorate", Messages.of("INDICTMENT", "procuratorate", caseNumber, null));

    // when
    Answer answer = hub.post("court", judgment(caseNumber, false));

    // then
    assertRouted(answer, "T8", "procuratorate", "police", "agriculture");
  }

  @Test
  void shouldAlsoSendJudgmentToJusticeWhenASentenceIncludesCommunityCorrection() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("environment", Messages.of("CASE_TRANSFER", "environment", caseNumber, null));
    accepted("procuratorate", Messages.of("INDICTMENT", "procuratorate", caseNumber, null));

    // when
    Answer answer = hub.post("court", judgment(caseNumber, true));

    // then
    assertRouted(answer, "T8", "procuratorate", "police", "environment", "justice");
  }

  @Test
  void shouldOmitTheTransferringAgencyFromJudgmentWhenTheCaseHasNone() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("procuratorate", Messages.of("INDICTMENT", "procuratorate", caseNumber, null));

    // when
    Answer answer = hub.post("court", judgment(caseNumber, false));

    // then
    assertRouted(answer, "T8", "procuratorate", "police");
  }

  @Test
  void shouldSendReverseTransferToTheAddresseeWithCopyToProcuratorateWhenPoliceSendIt() {
    // given
    String caseNumber = Messages.newCaseNumber();

    // when
    Answer answer =
        hub.post("police", Messages.of("REVERSE_TRANSFER", "police", caseNumber, "agriculture"));

    // then
    assertRouted(answer, "T9", "agriculture", "procuratorate");
  }

  @Test
  void shouldSendReverseTransferToTheAddresseeWithCopyToProcuratorateWhenTheCourtSendsIt() {
    // given
    String caseNumber = Messages.newCaseNumber();

    // when
    Answer answer =
        hub.post("court", Messages.of("REVERSE_TRANSFER", "court", caseNumber, "market"));

    // then
    assertRouted(answer, "T9", "market", "procuratorate");
  }

  @Test
  void shouldNotCopyTheProcuratorateBackToItselfWhenItSendsTheReverseTransfer() {
    // given
    String caseNumber = Messages.newCaseNumber();

    // when
    Answer answer =
        hub.post(
            "procuratorate", Messages.of("REVERSE_TRANSFER", "procuratorate", caseNumber, "water"));

    // then
    assertRouted(answer, "T9", "water");
  }

  @Test
  void shouldSendProcuratorialSuggestionToTheAddresseeWhenTheProcuratorateSendsIt() {
    // given
    String caseNumber = Messages.newCaseNumber();

    // when
    Answer answer =
        hub.post(
            "procuratorate",
            Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, "environment"));

    // then
    assertRouted(answer, "T10", "environment");
  }

  @Test
  void shouldSendSuggestionReplyToProcuratorateWhenTheSuggestionWasAddressedToTheSender() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        "procuratorate",
        Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, "environment"));

    // when
    Answer answer =
        hub.post("environment", Messages.of("SUGGESTION_REPLY", "environment", caseNumber, null));

    // then
    assertRouted(answer, "T11", "procuratorate");
  }

  @Test
  void shouldSendEnforcementSupervisionNoticeToTheAddresseeWhenJusticeSendsIt() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", belowThresholdPenaltyDecision("agriculture", caseNumber));

    // when
    Answer answer =
        hub.post(
            "justice",
            Messages.of("ENFORCEMENT_SUPERVISION_NOTICE", "justice", caseNumber, "agriculture"));

    // then
    assertRouted(answer, "T12", "agriculture");
  }

  @Test
  void shouldSendRectificationReplyToJusticeWhenTheNoticeWasAddressedToTheSender() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", belowThresholdPenaltyDecision("agriculture", caseNumber));
    accepted(
        "justice",
        Messages.of("ENFORCEMENT_SUPERVISION_NOTICE", "justice", caseNumber, "agriculture"));

    // when
    Answer answer =
        hub.post(
            "agriculture", Messages.of("RECTIFICATION_REPLY", "agriculture", caseNumber, null));

    // then
    assertRouted(answer, "T13", "justice");
  }

  @Test
  void shouldSendReverseTransferResultToTheReverseTransferSenderWithCopyToProcuratorate() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("court", Messages.of("REVERSE_TRANSFER", "court", caseNumber, "agriculture"));

    // when
    Answer answer =
        hub.post(
            "agriculture", Messages.of("REVERSE_TRANSFER_RESULT", "agriculture", caseNumber, null));

    // then
    assertRouted(answer, "T14", "court", "procuratorate");
  }

  @Test
  void shouldSendReverseTransferResultOnlyToProcuratorateWhenItSentTheReverseTransfer() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        "procuratorate", Messages.of("REVERSE_TRANSFER", "procuratorate", caseNumber, "water"));

    // when
    Answer answer =
        hub.post("water", Messages.of("REVERSE_TRANSFER_RESULT", "water", caseNumber, null));

    // then
    assertRouted(answer, "T14", "procuratorate");
  }

  @Test
  void shouldSendEvidenceHandoverToPoliceWhenTheCaseWasFiled() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));
    accepted("police", Messages.of("FILING_DECISION", "police", caseNumber, null));

    // when
    Answer answer =
        hub.post("agriculture", Messages.of("EVIDENCE_HANDOVER", "agriculture", caseNumber, null));

    // then
    assertRouted(answer, "T15", "police");
  }

  @Test
  void shouldSendRetractionToTheRecipientsOfTheRetractedMessageWhenItsSenderRetractsIt() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    accepted("agriculture", transfer);

    // when
    Answer answer =
        hub.post("agriculture", retraction("agriculture", caseNumber, messageId(transfer)));

    // then
    assertRouted(answer, "T16", "police", "procuratorate");
  }

  @Test
  void shouldAcceptTheSameContentAgainAsANewMessageWhenTheOriginalWasRetracted() {
    // given: a transfer, retracted by its sender
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    accepted("agriculture", transfer);
    accepted("agriculture", retraction("agriculture", caseNumber, messageId(transfer)));
    ObjectNode again = transfer.deepCopy();
    again.put("messageId", java.util.UUID.randomUUID().toString());

    // when: the same content comes again under a new messageId
    Answer answer = hub.post("agriculture", again);
    Answer replay = hub.post("agriculture", transfer);

    // then: a new message, routed again; the retracted messageId itself stays a duplicate
    assertRouted(answer, "T1", "police", "procuratorate");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.get("status").asString()).isEqualTo("DUPLICATE");
  }

  @Test
  void shouldSendRetractionOfAReverseTransferToItsAddresseeWhenTheProcuratorateRetractsIt() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode reverse = Messages.of("REVERSE_TRANSFER", "procuratorate", caseNumber, "market");
    accepted("procuratorate", reverse);

    // when
    Answer answer =
        hub.post("procuratorate", retraction("procuratorate", caseNumber, messageId(reverse)));

    // then
    assertRouted(answer, "T16", "market");
  }

  @Test
  void shouldSendAlertToEverySubscriberOfTheWaterAreaExceptTheSenderWhenASubscriberRaisesIt() {
    // given
    ObjectNode alert = Messages.alert("water", newAlertId(), "yangtze-honghu");

    // when
    Answer answer = hub.post("water", alert);

    // then
    assertRouted(answer, "A1", "police", "environment", "agriculture");
  }

  @Test
  void shouldSendAlertToEverySubscriberOfTheWaterAreaWhenANonSubscriberRaisesIt() {
    // given
    ObjectNode alert = Messages.alert("court", newAlertId(), "honghu-lake");

    // when
    Answer answer = hub.post("court", alert);

    // then
    assertRouted(answer, "A1", "police", "environment", "agriculture", "market", "forestry");
  }

  @Test
  void shouldSendLakeAlertToTheOtherLakeSubscribersWhenTheTenthAgencyRaisesIt() {
    // given
    ObjectNode alert = Messages.alert("forestry", newAlertId(), "honghu-lake");

    // when
    Answer answer = hub.post("forestry", alert);

    // then
    assertRouted(answer, "A1", "police", "environment", "agriculture", "market");
  }

  @Test
  void shouldSendAlertAckToTheOriginatorAndTheOtherRecipientsWhenARecipientAcknowledges() {
    // given
    String alertId = newAlertId();
    accepted("water", Messages.alert("water", alertId, "yangtze-honghu"));

    // when
    Answer answer = hub.post("police", alertAck("police", alertId));

    // then
    assertRouted(answer, "A2", "water", "environment", "agriculture");
  }

  @Test
  void shouldSendAlertAckToTheOriginatorAndAllRecipientsWhenANonRecipientAcknowledges() {
    // given
    String alertId = newAlertId();
    accepted("market", Messages.alert("market", alertId, "honghu-lake"));

    // when
    Answer answer = hub.post("procuratorate", alertAck("procuratorate", alertId));

    // then
    assertRouted(answer, "A2", "market", "police", "environment", "agriculture", "forestry");
  }

  @Test
  void shouldSendAlertAckToTheRecipientsWhenTheOriginatorAcknowledgesItsOwnAlert() {
    // given
    String alertId = newAlertId();
    accepted("agriculture", Messages.alert("agriculture", alertId, "yangtze-honghu"));

    // when
    Answer answer = hub.post("agriculture", alertAck("agriculture", alertId));

    // then
    assertRouted(answer, "A2", "police", "environment", "water");
  }

  @Test
  void shouldSendAlertAckByIncidentToTheOriginatorAndTheOtherRecipientsWhenAcknowledged() {
    // given
    ObjectNode alert = Messages.alert("market", newAlertId(), "honghu-lake");
    accepted("market", alert);
    JsonNode delivery = inboxDelivery("forestry", messageId(alert));
    assertThat(delivery).isNotNull();
    String incidentId = delivery.get("incidentId").asString();
    acknowledge("forestry", delivery.get("deliveryId").asString());
    ObjectNode ack = Messages.envelope("ALERT_ACK", "environment", null);
    ((ObjectNode) ack.get("payload")).put("incidentId", incidentId).put("action", "DISPATCHED");

    // when
    Answer answer = hub.post("environment", ack);

    // then
    assertRouted(answer, "A2", "market", "police", "agriculture", "forestry");
  }

  private void assertRouted(Answer answer, String ruleId, String... recipients) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(answer.get("status").asString()).isEqualTo("ACCEPTED");
    assertThat(texts(answer.get("recipients"))).containsExactlyInAnyOrder(recipients);
    assertThat(texts(answer.get("ruleIds"))).containsExactly(ruleId);
  }

  private void accepted(String agency, ObjectNode message) {
    Answer answer = hub.post(agency, message);
    assertThat(answer.status())
        .as("%s %s: %s", agency, message.get("type").asString(), answer.text())
        .isEqualTo(202);
  }

  private JsonNode inboxDelivery(String agency, String messageId) {
    return Inboxes.ofMessage(hub, agency, messageId);
  }

  private void acknowledge(String agency, String deliveryId) {
    ObjectNode ack = HubClient.JSON.createObjectNode();
    ack.putArray("deliveryIds").add(deliveryId);
    assertThat(hub.post(agency, "/api/v1/inbox/ack", ack).status()).isEqualTo(200);
  }

  private static ObjectNode notFiled(String caseNumber) {
    ObjectNode decision = Messages.of("FILING_DECISION", "police", caseNumber, null);
    payload(decision).put("decision", "NOT_FILED").put("reason", "证据不足，不予立案");
    return decision;
  }

  /** A penalty decision whose facts meet no criminal threshold (offence OTHER has no clause). */
  private static ObjectNode belowThresholdPenaltyDecision(String sender, String caseNumber) {
    ObjectNode decision = Messages.of("ADMIN_PENALTY_DECISION", sender, caseNumber, null);
    payload(decision)
        .putObject("facts")
        .put("offence", "OTHER")
        .put("occurredAt", "2026-05-03T10:00:00+08:00")
        .put("place", "洪湖市测试地点");
    return decision;
  }

  private static ObjectNode judgment(String caseNumber, boolean communityCorrection) {
    ObjectNode judgment = Messages.of("JUDGMENT", "court", caseNumber, null);
    ((ArrayNode) payload(judgment).get("sentences"))
        .addObject()
        .put("party", "李测试")
        .put("penalty", "有期徒刑一年，缓刑一年")
        .put("communityCorrection", communityCorrection);
    return judgment;
  }

  private static ObjectNode retraction(
      String sender, String caseNumber, String retractedMessageId) {
    ObjectNode retraction = Messages.of("RETRACTION", sender, caseNumber, null);
    payload(retraction).put("retractedMessageId", retractedMessageId).put("reason", "误发");
    return retraction;
  }

  private static ObjectNode alertAck(String sender, String alertId) {
    ObjectNode ack = Messages.of("ALERT_ACK", sender, null, null);
    payload(ack).put("alertId", alertId).put("action", "DISPATCHED");
    return ack;
  }

  private static String newAlertId() {
    return "ALERT-" + UUID.randomUUID();
  }

  private static String messageId(ObjectNode message) {
    return message.get("messageId").asString();
  }

  private static ObjectNode payload(ObjectNode message) {
    return (ObjectNode) message.get("payload");
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asString()));
    return values;
  }
}
