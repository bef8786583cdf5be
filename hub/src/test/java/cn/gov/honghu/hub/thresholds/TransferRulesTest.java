package cn.gov.honghu.hub.thresholds;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Inboxes;
import cn.gov.honghu.hub.support.Messages;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The transfer rules over HTTP (THRESHOLDS.md "What a met threshold does", "Legal citations",
 * repeat offenders): 以罚代刑 omission alerts, late copies, market copies, citation flags and the party
 * history across agencies.
 */
@ApplicationTest
class TransferRulesTest {

  private static final ZoneId HUB_ZONE = ZoneId.of("Asia/Shanghai");

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldRaiseTheOmissionAlertToProcuratorateAndJusticeWhenAPenaltyFor600KgHasNoTransfer() {
    // given: 600 kg caught with a legal net; the Yangtze full ban supplies precondition P
    String caseNumber = Messages.newCaseNumber();
    ObjectNode decision = fishingPenalty("agriculture", caseNumber, 600);

    // when
    Answer answer = hub.post("agriculture", decision);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("recipients")))
        .containsExactlyInAnyOrder("justice", "police", "procuratorate");
    assertThat(texts(answer.get("ruleIds"))).containsExactly("T2");
    assertThat(texts(answer.get("clauses"))).containsExactly("FISH-1");
    assertThat(texts(answer.get("flags"))).contains("CRIMINAL_THRESHOLD_MET");
    assertThat(answer.get("factSources").get("inBanZone").asString()).isEqualTo("ban-calendar");
    for (String recipient : List.of("procuratorate", "justice")) {
      JsonNode alert = omissionAlert(recipient, caseNumber);
      assertThat(alert).as("omission alert for %s", recipient).isNotNull();
      JsonNode message = alert.get("message");
      assertThat(message.get("sender").asString()).isEqualTo("hub");
      assertThat(message.get("caseNumber").asString()).isEqualTo(caseNumber);
      JsonNode payload = message.get("payload");
      assertThat(payload.get("decisionMessageId").asString()).isEqualTo(messageId(decision));
      assertThat(texts(payload.get("clauses"))).containsExactly("FISH-1");
      assertThat(texts(payload.get("legalBasis")))
          .anySatisfy(basis -> assertThat(basis).contains("Art. 11"))
          .anySatisfy(basis -> assertThat(basis).startsWith("FISH-1: ").contains("第三百四十条"));
      assertThat(texts(alert.get("receipt").get("recipients")))
          .containsExactlyInAnyOrder("procuratorate", "justice");
    }
    assertThat(delivery("police", messageId(decision))).as("the police get a copy").isNotNull();
  }

  @Test
  void shouldOnlyRecordThePenaltyWithJusticeWhenTheCatchIsBelowEveryThreshold() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode decision = fishingPenalty("agriculture", caseNumber, 499.99);

    // when
    Answer answer = hub.post("agriculture", decision);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("recipients"))).containsExactly("justice");
    assertThat(texts(answer.get("clauses"))).isEmpty();
    assertThat(texts(answer.get("flags"))).doesNotContain("CRIMINAL_THRESHOLD_MET");
    assertThat(omissionsOf(caseNumber)).isZero();
  }

  @Test
  void shouldRaiseNoOmissionWhenTheCaseWasTransferredBeforeThePenalty() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));

    // when
    Answer answer = hub.post("agriculture", fishingPenalty("agriculture", caseNumber, 600));

    // then: the threshold is recorded, but the case already went to the police
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("clauses"))).containsExactly("FISH-1");
    assertThat(texts(answer.get("recipients"))).containsExactly("justice");
    assertThat(omissionsOf(caseNumber)).isZero();
  }

  @Test
  void shouldRecordTheOmissionRemediedWhenTheCaseIsTransferredAfterThePenalty() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", fishingPenalty("agriculture", caseNumber, 600));
    assertThat(omissionsOf(caseNumber)).isOne();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);

    // when
    accepted("agriculture", transfer);

    // then
    List<String> remediedBy =
        jdbc.queryForList(
            "SELECT o.remedied_by FROM transfer_omission o JOIN hub_message m"
                + " ON m.message_id = o.alert_message_id WHERE m.case_number = ?",
            String.class,
            caseNumber);
    assertThat(remediedBy).containsExactly(messageId(transfer));
    Integer events =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM hub_event e JOIN transfer_omission o"
                + " ON o.alert_message_id = e.message_id WHERE e.kind = 'OMISSION_REMEDIED'"
                + " AND o.remedied_by = ?",
            Integer.class,
            messageId(transfer));
    assertThat(events).isOne();
  }

  @Test
  void shouldNotFlagLateCopyWhenThePenaltyReachesTheHubTenDaysAfterTheDecision() {
    // given
    ObjectNode decision = fishingPenalty("agriculture", Messages.newCaseNumber(), 600);
    decidedDaysAgo(decision, 10);

    // when
    Answer answer = hub.post("agriculture", decision);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("flags"))).doesNotContain("LATE_COPY");
  }

  @Test
  void shouldFlagLateCopyWhenThePenaltyReachesTheHubElevenDaysAfterTheDecision() {
    // given
    ObjectNode decision = fishingPenalty("agriculture", Messages.newCaseNumber(), 600);
    decidedDaysAgo(decision, 11);

    // when
    Answer answer = hub.post("agriculture", decision);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("flags"))).contains("LATE_COPY", "CRIMINAL_THRESHOLD_MET");
  }

  @Test
  void shouldCopyMarketWhenATransferMeetsTrade1() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    tradeFacts(transfer);

    // when
    Answer answer = hub.post("agriculture", transfer);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("clauses"))).containsExactly("TRADE-1");
    assertThat(texts(answer.get("recipients")))
        .containsExactlyInAnyOrder("police", "procuratorate", "market");
  }

  @Test
  void shouldCopyMarketWithTheOmissionWhenAPenaltyMeetsTrade1WithoutTransfer() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode decision = Messages.of("ADMIN_PENALTY_DECISION", "agriculture", caseNumber, null);
    tradeFacts(decision);

    // when
    Answer answer = hub.post("agriculture", decision);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("recipients")))
        .containsExactlyInAnyOrder("justice", "police", "procuratorate", "market");
    assertThat(texts(omissionAlert("market", caseNumber).get("receipt").get("recipients")))
        .containsExactlyInAnyOrder("procuratorate", "justice", "market");
  }

  @Test
  void shouldNeverCopyMarketBackWhenMarketItselfPenalisesATrade1Case() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode decision = Messages.of("ADMIN_PENALTY_DECISION", "market", caseNumber, null);
    tradeFacts(decision);

    // when
    Answer answer = hub.post("market", decision);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("recipients")))
        .containsExactlyInAnyOrder("justice", "police", "procuratorate");
    assertThat(texts(omissionAlert("procuratorate", caseNumber).get("receipt").get("recipients")))
        .containsExactlyInAnyOrder("procuratorate", "justice");
  }

  @Test
  void shouldFlagAndCopyJusticeWhenATransferCitesASupersededRevision() {
    // given: the 2017 Administrative Penalty Law, superseded on 2021-07-15, for a 2026 act
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "environment", Messages.newCaseNumber(), null);
    citing(transfer, " 中华人民共和国行政处罚法 ", "2017-09-01");

    // when
    Answer answer = hub.post("environment", transfer);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("flags"))).contains("LEGAL_CITATION_OUTDATED");
    assertThat(texts(answer.get("recipients")))
        .containsExactlyInAnyOrder("police", "procuratorate", "justice");
  }

  @Test
  void shouldNotFlagACitationOfTheRevisionInForce() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "environment", Messages.newCaseNumber(), null);
    citing(transfer, "行政处罚法", "2021-07-15");

    // when
    Answer answer = hub.post("environment", transfer);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("flags")))
        .doesNotContain("LEGAL_CITATION_OUTDATED", "LEGAL_CITATION_UNCHECKED");
    assertThat(texts(answer.get("recipients")))
        .containsExactlyInAnyOrder("police", "procuratorate");
  }

  @Test
  void shouldReportAnUnknownLawAsUncheckedWithoutCopyingJustice() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "environment", Messages.newCaseNumber(), null);
    citing(transfer, "某地方性法规", "2020-01-01");

    // when
    Answer answer = hub.post("environment", transfer);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("flags")))
        .contains("LEGAL_CITATION_UNCHECKED")
        .doesNotContain("LEGAL_CITATION_OUTDATED");
    assertThat(texts(answer.get("recipients"))).doesNotContain("justice");
  }

  @Test
  void shouldFlagARepeatOffenderFromAPenaltyAnotherAgencyImposedWhenTheSenderStatesNone() {
    // given: agriculture penalised the suspect in one case; water decides on another
    String suspectId = uniqueResidentId();
    ObjectNode first = fishingPenalty("agriculture", Messages.newCaseNumber(), 10);
    suspect(first, suspectId);
    accepted("agriculture", first);
    ObjectNode second = fishingPenalty("water", Messages.newCaseNumber(), 10);
    suspect(second, suspectId);
    occurredAfterTheFirstDecision(second);

    // when
    Answer answer = hub.post("water", second);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("flags"))).contains("REPEAT_WITHIN_2Y");
    assertThat(answer.get("factSources").get("priorPenaltiesWithin2Years").asString())
        .isEqualTo("hub-party-history");
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM party_penalty WHERE party_hash = ?",
                Integer.class,
                suspectId))
        .as("the plain ID number is never stored as the key")
        .isZero();
  }

  @Test
  void shouldNotFlagARepeatOffenderWhenThePriorPenaltyWasOfAnotherParty() {
    // given
    ObjectNode first = fishingPenalty("agriculture", Messages.newCaseNumber(), 10);
    suspect(first, uniqueResidentId());
    accepted("agriculture", first);
    ObjectNode second = fishingPenalty("water", Messages.newCaseNumber(), 10);
    suspect(second, uniqueResidentId());
    occurredAfterTheFirstDecision(second);

    // when
    Answer answer = hub.post("water", second);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("flags"))).doesNotContain("REPEAT_WITHIN_2Y");
  }

  @Test
  void shouldKeepTheSendersStatedPriorPenaltiesAndSayTheSenderWasTheSource() {
    // given
    String suspectId = uniqueResidentId();
    ObjectNode first = fishingPenalty("agriculture", Messages.newCaseNumber(), 10);
    suspect(first, suspectId);
    accepted("agriculture", first);
    ObjectNode second = fishingPenalty("water", Messages.newCaseNumber(), 10);
    suspect(second, suspectId);
    occurredAfterTheFirstDecision(second);
    facts(second).put("priorPenaltiesWithin2Years", 0);

    // when
    Answer answer = hub.post("water", second);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("flags"))).doesNotContain("REPEAT_WITHIN_2Y");
    assertThat(answer.get("factSources").get("priorPenaltiesWithin2Years").asString())
        .isEqualTo("sender");
  }

  @Test
  void shouldHalveTheLand2AreasWhenTheHubHasSeenTwoPriorPenaltiesOfTheCompany() {
    // given: two earlier forest-occupation penalties of one company, from two agencies
    String creditCode = "91421083MA4C1B2D3E";
    String company = "CO-" + java.util.UUID.randomUUID();
    for (String agency : List.of("natural-resources", "agriculture")) {
      ObjectNode earlier = forestPenalty(agency, Messages.newCaseNumber(), 1, company, creditCode);
      accepted(agency, earlier);
    }
    ObjectNode decision =
        forestPenalty("natural-resources", Messages.newCaseNumber(), 2.5, company, creditCode);
    occurredAfterTheFirstDecision(decision);

    // when
    Answer answer = hub.post("natural-resources", decision);

    // then: 2.5 mu of public forest is half of the 5 mu threshold
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("clauses"))).contains("LAND-2");
  }

  @Test
  void shouldDeriveTheClosedSeasonInTheHubsZoneWhenTheActIsJustAfterMidnightInShanghai() {
    // given: 28 Feb 16:30 UTC is 1 March 00:30 in Asia/Shanghai, the season's first day
    ObjectNode decision = fishingPenalty("agriculture", Messages.newCaseNumber(), 600);
    facts(decision).put("waterArea", "honghu-lake").put("occurredAt", "2026-02-28T16:30:00Z");

    // when
    Answer answer = hub.post("agriculture", decision);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("clauses"))).containsExactly("FISH-1");
    assertThat(answer.get("factSources").get("inBanPeriod").asString()).isEqualTo("ban-calendar");
    assertThat(answer.get("factSources").has("inBanZone")).isFalse();
  }

  @Test
  void shouldNotDeriveTheClosedSeasonWhenTheActIsJustBeforeMidnightInShanghai() {
    // given: 28 Feb 15:59:59 UTC is still 28 February in Asia/Shanghai; a legal net, no P
    ObjectNode decision = fishingPenalty("agriculture", Messages.newCaseNumber(), 600);
    facts(decision).put("waterArea", "honghu-lake").put("occurredAt", "2026-02-28T15:59:59Z");

    // when
    Answer answer = hub.post("agriculture", decision);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("clauses"))).isEmpty();
    assertThat(texts(answer.get("recipients"))).containsExactly("justice");
  }

  @Test
  void shouldKeepTheSendersBanZoneWhenTheCalendarDoesNotDeriveIt() {
    // given: outside every season, but the sender states a closed area
    ObjectNode decision = fishingPenalty("agriculture", Messages.newCaseNumber(), 600);
    facts(decision)
        .put("waterArea", "honghu-lake")
        .put("occurredAt", "2026-09-01T10:00:00+08:00")
        .put("inBanZone", true);

    // when
    Answer answer = hub.post("agriculture", decision);

    // then
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    assertThat(texts(answer.get("clauses"))).containsExactly("FISH-1");
  }

  @Test
  void shouldShowTheRulesInForceToAnAdminAndRefuseAnAgency() {
    // when
    Answer rules = hub.getWithKey("ops-test-key", "/admin/v1/rules");
    Answer refused = hub.get("police", "/admin/v1/rules");

    // then
    assertThat(rules.status()).as(rules.text()).isEqualTo(200);
    assertThat(rules.get("version").asString()).isNotBlank();
    List<String> routeIds = new ArrayList<>();
    rules.get("rules").get("routes").forEach(r -> routeIds.add(r.get("id").asString()));
    assertThat(routeIds).contains("T1", "T2", "T15", "A1", "A2");
    List<String> clauseIds = new ArrayList<>();
    rules.get("rules").get("clauses").forEach(c -> clauseIds.add(c.get("id").asString()));
    assertThat(clauseIds).contains("FISH-1", "TRADE-1", "POL-9", "MIN-4", "LAND-2");
    assertThat(rules.get("rules").get("laws").size()).isGreaterThanOrEqualTo(6);
    assertThat(rules.get("rules").get("deadlines").size()).isEqualTo(7);
    assertThat(refused.status()).isEqualTo(403);
  }

  // ---- messages ----

  private static ObjectNode fishingPenalty(String sender, String caseNumber, double catchKg) {
    ObjectNode decision = Messages.of("ADMIN_PENALTY_DECISION", sender, caseNumber, null);
    ObjectNode facts = facts(decision);
    facts.removeAll();
    facts
        .put("offence", "ILLEGAL_FISHING")
        .put("occurredAt", "2026-05-03T22:10:00+08:00")
        .put("waterArea", "yangtze-honghu")
        .put("method", "LEGAL_NET")
        .put("catchKg", catchKg);
    citing(decision, "中华人民共和国长江保护法", "2020-12-26");
    return decision;
  }

  private static ObjectNode forestPenalty(
      String sender, String caseNumber, double publicForestMu, String name, String creditCode) {
    ObjectNode decision = Messages.of("ADMIN_PENALTY_DECISION", sender, caseNumber, null);
    ObjectNode facts = facts(decision);
    facts.removeAll();
    facts
        .put("offence", "FARMLAND_OCCUPATION")
        .put("occurredAt", "2026-04-01T10:00:00+08:00")
        .put("place", "洪湖市测试林地")
        .put("publicForestMu", publicForestMu);
    ArrayNode parties = ((ObjectNode) decision.get("payload")).putArray("parties");
    parties.addObject().put("role", "COMPANY").put("name", name).put("creditCode", creditCode);
    return decision;
  }

  private static void tradeFacts(ObjectNode message) {
    ObjectNode facts = facts(message);
    facts.removeAll();
    facts
        .put("offence", "ILLEGAL_CATCH_TRADE")
        .put("occurredAt", "2026-05-03T10:00:00+08:00")
        .put("place", "洪湖市某水产市场")
        .put("knowinglyFromIllegalCatch", true);
  }

  private static void citing(ObjectNode message, String law, String version) {
    ArrayNode basis = ((ObjectNode) message.get("payload")).putArray("legalBasis");
    basis.addObject().put("law", law).put("article", "1").put("version", version);
  }

  private static void decidedDaysAgo(ObjectNode decision, int days) {
    LocalDate decided = LocalDate.now(HUB_ZONE).minusDays(days);
    ((ObjectNode) decision.get("payload")).put("decidedAt", decided + "T12:00:00+08:00");
  }

  /** A later act than the one penalised by {@link Messages}' default decision (5 May 2026). */
  private static void occurredAfterTheFirstDecision(ObjectNode message) {
    facts(message).put("occurredAt", "2026-06-01T10:00:00+08:00");
  }

  private static void suspect(ObjectNode message, String residentId) {
    ArrayNode parties = ((ObjectNode) message.get("payload")).putArray("parties");
    parties
        .addObject()
        .put("role", "SUSPECT")
        .put("name", Messages.SUSPECT_NAME)
        .put("idNumber", residentId);
  }

  /** A resident ID with a valid check digit (GB 11643), unique per call. */
  private static String uniqueResidentId() {
    String body =
        "4210831980"
            + String.format("%08d", (System.nanoTime() / 1000) % 100_000_000L).substring(0, 4)
            + String.format("%03d", (int) (Math.random() * 1000));
    body = body.substring(0, 17);
    int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (body.charAt(i) - '0') * weights[i];
    }
    return body + "10X98765432".charAt(sum % 11);
  }

  private static ObjectNode facts(ObjectNode message) {
    return (ObjectNode) message.get("payload").get("facts");
  }

  private static String messageId(ObjectNode message) {
    return message.get("messageId").asString();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    if (array != null) {
      array.forEach(node -> texts.add(node.asString()));
    }
    return texts;
  }

  // ---- hub state ----

  private void accepted(String agency, ObjectNode message) {
    Answer answer = hub.post(agency, message);
    assertThat(answer.status())
        .as("%s %s: %s", agency, message.get("type").asString(), answer.text())
        .isEqualTo(202);
  }

  private int omissionsOf(String caseNumber) {
    Integer count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM hub_message WHERE case_number = ? AND type ="
                + " 'TRANSFER_OMISSION_ALERT'",
            Integer.class,
            caseNumber);
    return count == null ? 0 : count;
  }

  private JsonNode omissionAlert(String agency, String caseNumber) {
    return Inboxes.find(
        hub,
        agency,
        d ->
            "TRANSFER_OMISSION_ALERT".equals(d.get("type").asString())
                && caseNumber.equals(d.path("caseNumber").asString()));
  }

  private JsonNode delivery(String agency, String messageId) {
    return Inboxes.find(hub, agency, d -> messageId.equals(d.get("messageId").asString()));
  }
}
