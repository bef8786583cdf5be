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
 * The 403 checks of HUB-SPEC section 3: the sender is the authenticated agency, and on an existing
 * case only its parties (and the supervising procuratorate) may send; case numbers are compared in
 * their normal form.
 */
@ApplicationTest
class SenderAuthorizationTest {

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldRefuseWithForbiddenWhenTheSenderIsNotTheAuthenticatedAgency() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);

    // when
    Answer answer = hub.post("environment", transfer);

    // then
    assertForbidden(answer);
    assertThat(hub.get("agriculture", "/api/v1/messages/" + messageId(transfer)).status())
        .isEqualTo(404);
  }

  @Test
  void shouldRefuseWithForbiddenWhenTheSenderIsAnUnknownAgency() {
    // given
    ObjectNode notice =
        Messages.of("SUPERVISION_NOTICE", "prosecutor", Messages.newCaseNumber(), "police");

    // when
    Answer answer = hub.post("procuratorate", notice);

    // then
    assertForbidden(answer);
  }

  @Test
  void shouldRefuseWithForbiddenWhenAJudicialAgencyPosesAsAnotherOne() {
    // given
    ObjectNode filing = Messages.of("FILING_DECISION", "police", Messages.newCaseNumber(), null);

    // when
    Answer answer = hub.post("court", filing);

    // then
    assertForbidden(answer);
  }

  @Test
  void shouldOpenTheCaseWhenTheFirstMessageCarriesANewCaseNumber() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode first = Messages.of("EVIDENCE_HANDOVER", "natural-resources", caseNumber, null);

    // when
    Answer opened = hub.post("natural-resources", first);

    // then
    assertAccepted(opened, "police");
    assertForbidden(hub.post("water", Messages.of("CASE_TRANSFER", "water", caseNumber, null)));
    assertAccepted(
        hub.post(
            "natural-resources",
            Messages.of("CASE_TRANSFER", "natural-resources", caseNumber, null)),
        "police",
        "procuratorate");
  }

  @Test
  void shouldRefuseAnAgencyWhenItIsNeitherSenderNorRecipientOfAnyMessageOfTheCase() {
    // given
    String caseNumber = Messages.newCaseNumber();
    assertAccepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)),
        "police",
        "procuratorate");
    ObjectNode handover = Messages.of("EVIDENCE_HANDOVER", "environment", caseNumber, null);

    // when
    Answer answer = hub.post("environment", handover);

    // then
    assertForbidden(answer);
    assertThat(answer.get("detail").asString()).contains("party");
    assertThat(hub.get("environment", "/api/v1/messages/" + messageId(handover)).status())
        .isEqualTo(404);
    assertForbidden(
        hub.post("court", Messages.of("REVERSE_TRANSFER", "court", caseNumber, "agriculture")));
    assertForbidden(hub.post("justice", Messages.of("CASE_TRANSFER", "justice", caseNumber, null)));
  }

  @Test
  void shouldAcceptARecipientOfAnEarlierMessageWhenItSendsOnTheCase() {
    // given
    String caseNumber = Messages.newCaseNumber();
    assertAccepted(hub.post("environment", penaltyDecision("environment", caseNumber)), "justice");

    // when
    Answer answer =
        hub.post(
            "justice",
            Messages.of("ENFORCEMENT_SUPERVISION_NOTICE", "justice", caseNumber, "environment"));

    // then
    assertAccepted(answer, "environment");
  }

  @Test
  void shouldAcceptTheProcuratorateWhenItIsNotYetAPartyOfTheCase() {
    // given
    String caseNumber = Messages.newCaseNumber();
    assertAccepted(hub.post("water", penaltyDecision("water", caseNumber)), "justice");
    assertForbidden(
        hub.post("police", Messages.of("REVERSE_TRANSFER", "police", caseNumber, "water")));

    // when
    Answer answer =
        hub.post(
            "procuratorate",
            Messages.of("SUPERVISION_NOTICE", "procuratorate", caseNumber, "water"));

    // then
    assertAccepted(answer, "water");
  }

  @Test
  void shouldMakeTheAddresseeAPartyWhenTheProcuratorateWritesToIt() {
    // given
    String caseNumber = Messages.newCaseNumber();
    assertAccepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)),
        "police",
        "procuratorate");
    assertAccepted(
        hub.post(
            "procuratorate",
            Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, "market")),
        "market");

    // when
    Answer answer = hub.post("market", Messages.of("SUGGESTION_REPLY", "market", caseNumber, null));

    // then
    assertAccepted(answer, "procuratorate");
  }

  @Test
  void shouldTreatBracketAndWidthVariantsAsTheSameCaseWhenComparingCaseNumbers() {
    // given
    String serial = UUID.randomUUID().toString().substring(0, 8);
    String ascii = "洪测[2026]" + serial + "号";
    String tortoiseShell = "洪测〔2026〕" + serial + "号";
    String lenticular = "洪测【2026】" + serial + "号";
    String fullWidth = "  洪测［２０２６］" + serial + "号 ";
    assertAccepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", ascii, null)),
        "police",
        "procuratorate");

    // when
    Answer outsider =
        hub.post(
            "environment", Messages.of("EVIDENCE_HANDOVER", "environment", tortoiseShell, null));
    Answer decision = hub.post("police", notFiled(lenticular));
    Answer request =
        hub.post(
            "agriculture", Messages.of("RECONSIDERATION_REQUEST", "agriculture", fullWidth, null));

    // then
    assertForbidden(outsider);
    assertAccepted(decision, "agriculture", "procuratorate");
    assertAccepted(request, "police", "procuratorate");
  }

  @Test
  void shouldGiveTheConfiguredTenthAgencyTheRightsOfItsKindWhenItSends() {
    // given
    String caseNumber = Messages.newCaseNumber();

    // when
    Answer transfer =
        hub.post("forestry", Messages.of("CASE_TRANSFER", "forestry", caseNumber, null));
    Answer filing =
        hub.post("forestry", Messages.of("FILING_DECISION", "forestry", caseNumber, null));
    Answer notice =
        hub.post(
            "forestry",
            Messages.of("ENFORCEMENT_SUPERVISION_NOTICE", "forestry", caseNumber, "water"));
    assertAccepted(hub.post("police", notFiled(caseNumber)), "forestry", "procuratorate");
    Answer request =
        hub.post("forestry", Messages.of("RECONSIDERATION_REQUEST", "forestry", caseNumber, null));

    // then
    assertAccepted(transfer, "police", "procuratorate");
    assertForbidden(filing);
    assertForbidden(notice);
    assertAccepted(request, "police", "procuratorate");
  }

  @Test
  void shouldRefuseHubGeneratedTypesWhenEvenThePartiesOfTheCaseSendThem() {
    // given
    String caseNumber = Messages.newCaseNumber();
    assertAccepted(
        hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null)),
        "police",
        "procuratorate");

    // when
    Answer omission =
        hub.post(
            "procuratorate",
            Messages.of("TRANSFER_OMISSION_ALERT", "procuratorate", caseNumber, null));
    Answer overdue =
        hub.post("police", Messages.of("DEADLINE_OVERDUE", "police", caseNumber, null));
    Answer escalation =
        hub.post("agriculture", Messages.of("ALERT_ESCALATION", "agriculture", null, null));

    // then
    assertForbidden(omission);
    assertForbidden(overdue);
    assertForbidden(escalation);
  }

  private void assertForbidden(Answer answer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(403);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.get("status").asInt()).isEqualTo(403);
    assertThat(answer.get("title").asString()).isNotBlank();
    assertThat(answer.get("detail").asString()).isNotBlank();
  }

  private static void assertAccepted(Answer answer, String... recipients) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("recipients"))).containsExactlyInAnyOrder(recipients);
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

  private static String messageId(ObjectNode message) {
    return message.get("messageId").asString();
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asString()));
    return values;
  }
}
