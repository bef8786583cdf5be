package cn.gov.honghu.hub.deadlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Inboxes;
import cn.gov.honghu.hub.support.Messages;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The deadline clocks D1-D7 over HTTP, with second-long durations so that a deadline passes while
 * the test waits for it (Awaitility, no sleeps): opened, closed on time, closed late, overdue with
 * one notice, a window that lapses, a retraction that cancels, and the views that show them.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "hub.data-dir=target/test-data/deadlines",
      "hub.deadlines.D1=PT3S",
      "hub.deadlines.D2=PT4S",
      "hub.deadlines.D3=PT3S",
      "hub.deadlines.D4=PT1H",
      "hub.deadlines.D4-urgent=PT3S",
      "hub.deadlines.D6=PT3S",
      "hub.deadlines.D7=PT3S"
    })
@ActiveProfiles("test")
class DeadlineClocksTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldCloseD1OnTimeWhenThePoliceDecideBeforeItIsDue() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));

    // when
    accepted("police", Messages.of("FILING_DECISION", "police", caseNumber, null));

    // then: D1 closed on time, D7 (exhibits) opened for the transferring agency
    JsonNode d1 = deadline(caseNumber, "D1").orElseThrow();
    assertThat(d1.get("state").asString()).isEqualTo("CLOSED_ON_TIME");
    assertThat(d1.get("owedBy").asString()).isEqualTo("police");
    assertThat(d1.get("act").asString()).isEqualTo("FILING_DECISION");
    assertThat(d1.has("closedAt")).isTrue();
    JsonNode d7 = deadline(caseNumber, "D7").orElseThrow();
    assertThat(d7.get("state").asString()).isEqualTo("OPEN");
    assertThat(d7.get("owedBy").asString()).isEqualTo("agriculture");
  }

  @Test
  void shouldSendOneOverdueNoticeToPoliceAndProcuratorateAndRecordTheLatenessWhenD1Passes() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));

    // when: D1 (3 s here) passes without a filing decision
    await().atMost(PATIENCE).until(() -> "OVERDUE".equals(state(caseNumber, "D1")));

    // then: one DEADLINE_OVERDUE, to the police and the procuratorate
    for (String recipient : List.of("police", "procuratorate")) {
      JsonNode notice = Inboxes.find(hub, recipient, overdueOf(caseNumber));
      assertThat(notice).as("overdue notice for %s", recipient).isNotNull();
      JsonNode payload = notice.get("message").get("payload");
      assertThat(notice.get("message").get("sender").asString()).isEqualTo("hub");
      assertThat(payload.get("deadlineId").asString()).isEqualTo("D1");
      assertThat(payload.get("owedBy").asString()).isEqualTo("police");
      assertThat(payload.get("act").asString()).isEqualTo("FILING_DECISION");
      assertThat(payload.get("source").asString()).contains("Art. 8");
      assertThat(payload.has("dueAt")).isTrue();
    }
    assertThat(noticesFor(caseNumber)).isOne();

    // and when the police decide late
    accepted("police", Messages.of("FILING_DECISION", "police", caseNumber, null));

    // then the timeline records the lateness, and no second notice went out
    JsonNode d1 = deadline(caseNumber, "D1").orElseThrow();
    assertThat(d1.get("state").asString()).isEqualTo("CLOSED_LATE");
    assertThat(d1.get("lateBy").asString()).startsWith("PT");
    assertThat(entries(caseNumber))
        .anySatisfy(
            e -> {
              assertThat(e.get("type").asString()).isEqualTo("DEADLINE_CLOSED_LATE");
              assertThat(e.get("deadlineId").asString()).isEqualTo("D1");
            });
    assertThat(noticesFor(caseNumber)).isOne();
  }

  @Test
  void shouldLetTheD2WindowLapseWithoutANoticeAndRefuseALateReconsiderationRequest() {
    // given: a case the police did not file
    String caseNumber = Messages.newCaseNumber();
    accepted("environment", Messages.of("CASE_TRANSFER", "environment", caseNumber, null));
    accepted("police", notFiled(caseNumber));

    // when: the 4 s window passes
    await().atMost(PATIENCE).until(() -> "LAPSED".equals(state(caseNumber, "D2")));

    // then: no notice, and a request now is refused with the rule named
    assertThat(noticesFor(caseNumber)).isZero();
    Answer late =
        hub.post(
            "environment", Messages.of("RECONSIDERATION_REQUEST", "environment", caseNumber, null));
    assertThat(late.status()).as(late.text()).isEqualTo(422);
    assertThat(late.get("rule").asString()).isEqualTo("T4");
    assertThat(late.get("condition").asString()).isEqualTo("reconsideration-window-open");
    assertThat(entries(caseNumber))
        .anySatisfy(e -> assertThat(e.get("type").asString()).isEqualTo("DEADLINE_LAPSED"));
  }

  @Test
  void shouldCloseD2AndOpenD3WhenTheRequestComesWithinTheWindow() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("environment", Messages.of("CASE_TRANSFER", "environment", caseNumber, null));
    accepted("police", notFiled(caseNumber));

    // when
    accepted(
        "environment", Messages.of("RECONSIDERATION_REQUEST", "environment", caseNumber, null));

    // then
    assertThat(state(caseNumber, "D2")).isEqualTo("CLOSED_ON_TIME");
    assertThat(state(caseNumber, "D3")).isEqualTo("OPEN");
    accepted("police", Messages.of("RECONSIDERATION_DECISION", "police", caseNumber, null));
    assertThat(state(caseNumber, "D3")).isIn("CLOSED_ON_TIME", "CLOSED_LATE");
  }

  @Test
  void shouldNotifyTheAddresseeProcuratorateAndJusticeWhenAnUrgentSuggestionGoesUnanswered() {
    // given: an urgent procuratorial suggestion (D4-urgent: 3 s here)
    String caseNumber = Messages.newCaseNumber();
    ObjectNode suggestion =
        Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, "water");
    ((ObjectNode) suggestion.get("payload")).put("urgent", true);
    accepted("procuratorate", suggestion);

    // when
    await().atMost(PATIENCE).until(() -> "OVERDUE".equals(state(caseNumber, "D4")));

    // then
    for (String recipient : List.of("water", "justice")) {
      JsonNode notice = Inboxes.find(hub, recipient, overdueOf(caseNumber));
      assertThat(notice).as("overdue notice for %s", recipient).isNotNull();
      assertThat(texts(notice.get("receipt").get("recipients")))
          .containsExactlyInAnyOrder("water", "procuratorate", "justice");
    }
  }

  @Test
  void shouldKeepANonUrgentSuggestionOpenForItsLongerPeriodAndCloseItWithTheReply() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        "procuratorate",
        Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, "water"));

    // when
    accepted("water", Messages.of("SUGGESTION_REPLY", "water", caseNumber, null));

    // then
    assertThat(state(caseNumber, "D4")).isEqualTo("CLOSED_ON_TIME");
  }

  @Test
  void shouldTakeD5FromTheNoticesReplyDateAndCloseItWithTheRectificationReply() {
    // given: a notice with a reply date of Thursday 31 December 2026
    String caseNumber = Messages.newCaseNumber();
    accepted(
        "justice",
        Messages.of("ENFORCEMENT_SUPERVISION_NOTICE", "justice", caseNumber, "environment"));
    JsonNode d5 = deadline(caseNumber, "D5").orElseThrow();
    assertThat(d5.get("dueAt").asString()).isEqualTo("2026-12-31T23:59:59+08:00");
    assertThat(d5.get("owedBy").asString()).isEqualTo("environment");

    // when
    accepted("environment", Messages.of("RECTIFICATION_REPLY", "environment", caseNumber, null));

    // then
    assertThat(state(caseNumber, "D5")).isEqualTo("CLOSED_ON_TIME");
  }

  @Test
  void shouldOpenD6ForTheAddresseeAndCloseItWithTheResult() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted(
        "procuratorate", Messages.of("REVERSE_TRANSFER", "procuratorate", caseNumber, "market"));
    assertThat(deadline(caseNumber, "D6").orElseThrow().get("owedBy").asString())
        .isEqualTo("market");

    // when
    accepted("market", Messages.of("REVERSE_TRANSFER_RESULT", "market", caseNumber, null));

    // then
    assertThat(state(caseNumber, "D6")).isEqualTo("CLOSED_ON_TIME");
  }

  @Test
  void shouldCloseD7WhenTheTransferringAgencyHandsOverTheExhibits() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));
    accepted("police", Messages.of("FILING_DECISION", "police", caseNumber, null));

    // when
    accepted("agriculture", Messages.of("EVIDENCE_HANDOVER", "agriculture", caseNumber, null));

    // then
    assertThat(state(caseNumber, "D7")).isEqualTo("CLOSED_ON_TIME");
  }

  @Test
  void shouldCancelTheDeadlineAndSendNoNoticeWhenTheOpeningMessageIsRetracted() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    accepted("agriculture", transfer);
    ObjectNode retraction = Messages.of("RETRACTION", "agriculture", caseNumber, null);
    ((ObjectNode) retraction.get("payload"))
        .put("retractedMessageId", transfer.get("messageId").asString());

    // when
    accepted("agriculture", retraction);

    // then: D1 is gone from the timeline, the transfer is marked, and after its due time no
    // notice went out (a watch run after the due time has claimed everything that was due)
    assertThat(deadline(caseNumber, "D1")).isEmpty();
    assertThat(entries(caseNumber))
        .anySatisfy(
            e -> {
              assertThat(e.get("messageId").asString())
                  .isEqualTo(transfer.get("messageId").asString());
              assertThat(e.get("retracted").asBoolean()).isTrue();
            });
    String other = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", other, null));
    await().atMost(PATIENCE).until(() -> "OVERDUE".equals(state(other, "D1")));
    assertThat(noticesFor(caseNumber)).isZero();
  }

  @Test
  void shouldShowTheTimelineToPartiesOnlyAndTheDeadlinesToWhoOwesThem() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));

    // when
    Answer party = hub.get("police", timelinePath(caseNumber));
    Answer nonParty = hub.get("court", timelinePath(caseNumber));
    Answer unknown = hub.get("police", timelinePath(Messages.newCaseNumber()));
    Answer owed = hub.get("police", "/api/v1/deadlines?state=OPEN&size=500");
    Answer badState = hub.get("police", "/api/v1/deadlines?state=SOMEDAY");

    // then
    assertThat(party.status()).as(party.text()).isEqualTo(200);
    assertThat(party.get("caseNumber").asString()).isEqualTo(caseNumber);
    assertThat(party.get("openedBy").asString()).isEqualTo("agriculture");
    JsonNode entry = party.get("entries").get(0);
    assertThat(entry.get("type").asString()).isEqualTo("CASE_TRANSFER");
    assertThat(texts(entry.get("ruleIds"))).containsExactly("T1");
    assertThat(texts(entry.get("recipients"))).containsExactlyInAnyOrder("police", "procuratorate");
    assertThat(nonParty.status()).isEqualTo(404);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(owed.status()).as(owed.text()).isEqualTo(200);
    assertThat(owed.get("items"))
        .allSatisfy(item -> assertThat(item.get("owedBy").asString()).isEqualTo("police"));
    assertThat(badState.status()).isEqualTo(400);
  }

  @Test
  void shouldListOverdueDeadlinesAndStatisticsForAdminsOnly() {
    // given
    String caseNumber = Messages.newCaseNumber();
    accepted("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null));
    await().atMost(PATIENCE).until(() -> "OVERDUE".equals(state(caseNumber, "D1")));

    // when
    Answer overdue =
        hub.getWithKey(
            "ops-test-key",
            "/admin/v1/deadlines?state=overdue&agency=police&deadlineId=D1&size=500");
    Answer stats = hub.getWithKey("ops-test-key", "/admin/v1/stats");
    Answer refused = hub.get("police", "/admin/v1/deadlines");

    // then
    assertThat(overdue.status()).as(overdue.text()).isEqualTo(200);
    assertThat(overdue.get("total").asLong()).isPositive();
    assertThat(overdue.get("items"))
        .anySatisfy(item -> assertThat(item.get("caseNumber").asString()).isEqualTo(caseNumber));
    assertThat(stats.status()).as(stats.text()).isEqualTo(200);
    JsonNode police = null;
    JsonNode agriculture = null;
    for (JsonNode agency : stats.get("agencies")) {
      if (agency.get("agency").asString().equals("police")) {
        police = agency;
      } else if (agency.get("agency").asString().equals("agriculture")) {
        agriculture = agency;
      }
    }
    assertThat(police.get("overdue").asLong()).isPositive();
    assertThat(agriculture.get("transfers").asLong()).isPositive();
    assertThat(agriculture.get("acceptedByType").get("CASE_TRANSFER").asLong()).isPositive();
    assertThat(refused.status()).isEqualTo(403);
  }

  // ---- helpers ----

  private void accepted(String agency, ObjectNode message) {
    Answer answer = hub.post(agency, message);
    assertThat(answer.status())
        .as("%s %s: %s", agency, message.get("type").asString(), answer.text())
        .isEqualTo(202);
  }

  private static ObjectNode notFiled(String caseNumber) {
    ObjectNode decision = Messages.of("FILING_DECISION", "police", caseNumber, null);
    ((ObjectNode) decision.get("payload")).put("decision", "NOT_FILED").put("reason", "证据不足，不予立案");
    return decision;
  }

  private static String timelinePath(String caseNumber) {
    return "/api/v1/cases/" + URLEncoder.encode(caseNumber, StandardCharsets.UTF_8) + "/timeline";
  }

  /** The timeline as a party sees it: the procuratorate is copied on most cases, justice on D5. */
  private JsonNode timeline(String caseNumber) {
    Answer answer = hub.get("procuratorate", timelinePath(caseNumber));
    if (answer.status() == 404) {
      answer = hub.get("justice", timelinePath(caseNumber));
    }
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.json();
  }

  private List<JsonNode> entries(String caseNumber) {
    List<JsonNode> entries = new ArrayList<>();
    timeline(caseNumber).get("entries").forEach(entries::add);
    return entries;
  }

  private Optional<JsonNode> deadline(String caseNumber, String id) {
    for (JsonNode deadline : timeline(caseNumber).get("deadlines")) {
      if (deadline.get("id").asString().equals(id)) {
        return Optional.of(deadline);
      }
    }
    return Optional.empty();
  }

  private String state(String caseNumber, String id) {
    return deadline(caseNumber, id).map(d -> d.get("state").asString()).orElse(null);
  }

  private int noticesFor(String caseNumber) {
    Integer count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM hub_message WHERE case_number = ? AND type = 'DEADLINE_OVERDUE'",
            Integer.class,
            caseNumber);
    return count == null ? 0 : count;
  }

  private static Predicate<JsonNode> overdueOf(String caseNumber) {
    return d ->
        "DEADLINE_OVERDUE".equals(d.get("type").asString())
            && caseNumber.equals(d.path("caseNumber").asString());
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asString()));
    return texts;
  }
}
