package cn.gov.honghu.hub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reasons and four eyes (HUB-SPEC section 11): replay and discard need a reason; a batch replay
 * matching more than {@code hub.admin.four-eyes-threshold} (5 in the test deployment) waits,
 * changing nothing, until a different admin approves it, which replays the deliveries it matched; a
 * rejection with a reason ends it. The failed deliveries are real accepted messages to a pull
 * agency set FAILED by SQL (pull deliveries never fail by themselves), each test with an error text
 * of its own, so that its filter selects its deliveries only.
 */
@ApplicationTest
class FourEyesTest {

  private static final String OPS = "ops-test-key";
  private static final String SECOND = "second-admin-test-key";
  private static final String OPERATOR = "operator-test-key";
  private static final String JSON = "application/json";
  private static final String RECIPIENT = "market";

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  // ---------------------------------------------------------------- four eyes

  @Test
  void shouldQueueAtOnceWhenTheBatchMatchesExactlyTheThreshold() {
    // given
    String token = token();
    List<String> ids = failedDeliveries(5, token);

    // when
    Answer replay = post(OPS, "/admin/v1/failed/replay", batch(token, "receiver fixed"));

    // then
    assertThat(replay.status()).as(replay.text()).isEqualTo(200);
    assertThat(replay.get("queued").asInt()).isEqualTo(5);
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo("QUEUED"));
    assertThat(replayedEventDetails(ids.get(0)))
        .singleElement()
        .asString()
        .contains("receiver fixed");
  }

  @Test
  void shouldWaitForAnotherAdminAndReplayWhenApproved() {
    // given
    String token = token();
    List<String> ids = failedDeliveries(6, token);

    // when: one over the threshold
    Answer requested = post(OPS, "/admin/v1/failed/replay", batch(token, "receiver fixed"));

    // then: pending, nothing changed
    assertThat(requested.status()).as(requested.text()).isEqualTo(202);
    assertThat(requested.get("status").asString()).isEqualTo("PENDING_APPROVAL");
    assertThat(requested.get("matched").asInt()).isEqualTo(6);
    String approvalId = requested.get("approvalId").asString();
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo("FAILED"));
    assertThat(listed("pending", approvalId)).isNotNull();
    assertThat(listed("approved", approvalId)).isNull();
    assertThat(auditKinds(approvalId)).containsExactly("APPROVAL_REQUESTED");

    // when: the requester approves it himself, and an operator tries
    Answer self = post(OPS, approve(approvalId), null);
    Answer operator = post(OPERATOR, approve(approvalId), null);

    // then: both refused, nothing changed
    assertThat(self.status()).as(self.text()).isEqualTo(403);
    assertThat(self.contentType()).startsWith("application/problem+json");
    assertThat(self.get("detail").asString()).contains("another admin");
    assertThat(operator.status()).isEqualTo(403);
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo("FAILED"));

    // when: another admin approves
    Answer approved = post(SECOND, approve(approvalId), null);

    // then: all six queued again, once, with the request's reason in their REPLAYED entries
    assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    assertThat(approved.get("status").asString()).isEqualTo("APPROVED");
    assertThat(approved.get("queued").asInt()).isEqualTo(6);
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo("QUEUED"));
    assertThat(ids)
        .allSatisfy(
            id ->
                assertThat(replayedEventDetails(id))
                    .singleElement()
                    .asString()
                    .contains("receiver fixed")
                    .contains(approvalId));
    JsonNode listed = listed("approved", approvalId);
    assertThat(listed.get("requestedBy").asString()).isEqualTo("ops");
    assertThat(listed.get("decidedBy").asString()).isEqualTo("second-admin");
    assertThat(listed.get("queued").asInt()).isEqualTo(6);
    assertThat(listed.get("filter").get("error").asString()).isEqualTo(token);
    assertThat(auditKinds(approvalId)).containsExactly("APPROVAL_REQUESTED", "APPROVED");

    // and approving again changes nothing
    Answer again = post(SECOND, approve(approvalId), null);
    assertThat(again.status()).as(again.text()).isEqualTo(409);
  }

  @Test
  void shouldReplayWhatTheRequestMatchedNotWhatFailedSince() {
    // given: a pending request over six deliveries; then one of them is discarded and a seventh
    // fails with the same error
    String token = token();
    List<String> ids = failedDeliveries(6, token);
    String approvalId =
        post(OPS, "/admin/v1/failed/replay", batch(token, "receiver fixed"))
            .get("approvalId")
            .asString();
    Answer discard =
        post(SECOND, "/admin/v1/failed/" + ids.get(0) + "/discard", reason("duplicate"));
    assertThat(discard.status()).as(discard.text()).isEqualTo(200);
    String later = failedDeliveries(1, token).get(0);

    // when
    Answer approved = post(SECOND, approve(approvalId), null);

    // then: the five still failed of the six, not the discarded one nor the newcomer
    assertThat(approved.get("queued").asInt()).isEqualTo(5);
    assertThat(state(ids.get(0))).isEqualTo("DISCARDED");
    assertThat(ids.subList(1, 6)).allSatisfy(id -> assertThat(state(id)).isEqualTo("QUEUED"));
    assertThat(state(later)).isEqualTo("FAILED");
  }

  @Test
  void shouldReplayOnceWhenTwoApprovalsComeAtOnce() throws Exception {
    // given
    String token = token();
    List<String> ids = failedDeliveries(8, token);
    String approvalId =
        post(OPS, "/admin/v1/failed/replay", batch(token, "receiver fixed"))
            .get("approvalId")
            .asString();

    // when: two approvals released together
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Answer>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        answers.add(
            CompletableFuture.supplyAsync(
                () -> {
                  awaitQuietly(go);
                  return post(SECOND, approve(approvalId), null);
                },
                pool));
      }
      go.countDown();
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    // then: one 200 with all eight, one 409; each delivery replayed once
    List<Integer> statuses = answers.stream().map(a -> a.join().status()).sorted().toList();
    assertThat(statuses).containsExactly(200, 409);
    assertThat(answers.stream().map(CompletableFuture::join).filter(a -> a.status() == 200))
        .singleElement()
        .satisfies(a -> assertThat(a.get("queued").asInt()).isEqualTo(8));
    assertThat(ids).allSatisfy(id -> assertThat(replayedEventDetails(id)).hasSize(1));
  }

  @Test
  void shouldEndARequestWithoutReplayingWhenRejectedWithAReason() {
    // given
    String token = token();
    List<String> ids = failedDeliveries(6, token);
    String approvalId =
        post(OPS, "/admin/v1/failed/replay", batch(token, "receiver fixed"))
            .get("approvalId")
            .asString();

    // when: rejections without a reason, then with one
    Answer none = post(SECOND, reject(approvalId), null);
    Answer empty = post(SECOND, reject(approvalId), "{}");
    Answer blank = post(SECOND, reject(approvalId), reason("   "));
    Answer rejected = post(SECOND, reject(approvalId), reason("wrong filter"));

    // then
    assertThat(List.of(none, empty, blank))
        .allSatisfy(
            a -> {
              assertThat(a.status()).as(a.text()).isEqualTo(400);
              assertThat(a.contentType()).startsWith("application/problem+json");
            });
    assertThat(rejected.status()).as(rejected.text()).isEqualTo(200);
    assertThat(rejected.get("status").asString()).isEqualTo("REJECTED");
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo("FAILED"));
    JsonNode listed = listed("rejected", approvalId);
    assertThat(listed.get("decisionReason").asString()).isEqualTo("wrong filter");
    assertThat(listed("pending", approvalId)).isNull();
    assertThat(auditKinds(approvalId)).containsExactly("APPROVAL_REQUESTED", "REJECTED");
    // and it cannot be approved afterwards
    assertThat(post(SECOND, approve(approvalId), null).status()).isEqualTo(409);
    assertThat(ids).allSatisfy(id -> assertThat(state(id)).isEqualTo("FAILED"));
  }

  @Test
  void shouldAnswerProblemsForUnknownApprovalsAndStates() {
    String unknown = UUID.randomUUID().toString();
    assertThat(post(SECOND, approve(unknown), null).status()).isEqualTo(404);
    assertThat(post(SECOND, reject(unknown), reason("x")).status()).isEqualTo(404);
    assertThat(hub.getWithKey(OPS, "/admin/v1/approvals/" + unknown).status()).isEqualTo(404);
    Answer badState = hub.getWithKey(OPS, "/admin/v1/approvals?state=maybe");
    assertThat(badState.status()).isEqualTo(400);
    assertThat(badState.contentType()).startsWith("application/problem+json");
    assertThat(hub.getWithKey(OPS, "/admin/v1/approvals?size=0").status()).isEqualTo(400);
    assertThat(hub.getWithKey(OPERATOR, "/admin/v1/approvals?state=PENDING").status())
        .isEqualTo(200);
  }

  // ---------------------------------------------------------------- reasons

  @ParameterizedTest
  @ValueSource(
      strings = {"", "{}", "{\"reason\":null}", "{\"reason\":\"  \"}", "{\"reason\":\"\"}"})
  void shouldRefuseAReplayOrDiscardWithoutAReason(String body) {
    // given
    String token = token();
    String id = failedDeliveries(1, token).get(0);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

    // when
    List<Answer> answers =
        List.of(
            hub.postWithKey(OPS, "/admin/v1/failed/" + id + "/replay", JSON, bytes),
            hub.postWithKey(OPS, "/admin/v1/failed/" + id + "/discard", JSON, bytes),
            hub.postWithKey(
                OPS,
                "/admin/v1/failed/replay",
                JSON,
                ("{\"error\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8)));

    // then: 400 problems, and the delivery is still failed
    assertThat(answers)
        .allSatisfy(
            a -> {
              assertThat(a.status()).as(a.text()).isEqualTo(400);
              assertThat(a.contentType()).startsWith("application/problem+json");
            });
    assertThat(state(id)).isEqualTo("FAILED");
  }

  @Test
  void shouldRefuseAReasonLongerThan1000Characters() {
    String id = failedDeliveries(1, token()).get(0);
    Answer answer = post(OPS, "/admin/v1/failed/" + id + "/replay", reason("x".repeat(1001)));
    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    assertThat(state(id)).isEqualTo("FAILED");
  }

  @Test
  void shouldKeepTheReasonOfAReplayAndADiscardInTheirEvents() {
    // given
    List<String> ids = failedDeliveries(2, token());

    // when
    Answer replay = post(OPS, "/admin/v1/failed/" + ids.get(0) + "/replay", reason("fixed"));
    Answer discard = post(OPS, "/admin/v1/failed/" + ids.get(1) + "/discard", reason("obsolete"));

    // then
    assertThat(replay.status()).as(replay.text()).isEqualTo(200);
    assertThat(replay.get("replayed").asBoolean()).isTrue();
    assertThat(discard.status()).as(discard.text()).isEqualTo(200);
    assertThat(replayedEventDetails(ids.get(0))).singleElement().asString().contains("fixed");
    assertThat(
            jdbc.queryForList(
                "SELECT detail FROM hub_event WHERE kind = 'DISCARDED' AND delivery_id = ?",
                String.class,
                ids.get(1)))
        .singleElement()
        .asString()
        .contains("obsolete");
    assertThat(
            jdbc.queryForList(
                "SELECT detail FROM audit_entry WHERE kind = 'REPLAYED' AND detail LIKE ?",
                String.class,
                "%" + ids.get(0) + "%"))
        .singleElement()
        .asString()
        .contains("fixed");
  }

  // ---------------------------------------------------------------- helpers

  private static String token() {
    return "four-eyes-" + UUID.randomUUID();
  }

  /** Accepted messages to the pull agency, set FAILED with the error {@code token}. */
  private List<String> failedDeliveries(int count, String token) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ObjectNode suggestion =
          Messages.of(
              "PROCURATORIAL_SUGGESTION", "procuratorate", Messages.newCaseNumber(), RECIPIENT);
      Answer accepted = hub.post("procuratorate", suggestion);
      assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
      String id =
          jdbc.queryForObject(
              "SELECT delivery_id FROM delivery WHERE message_id = ? AND recipient = ?",
              String.class,
              suggestion.get("messageId").asString(),
              RECIPIENT);
      jdbc.update(
          "UPDATE delivery SET state = 'FAILED', attempts = 1, failed_at = ?, last_error = ?"
              + " WHERE delivery_id = ?",
          Timestamp.from(Instant.now()),
          token,
          id);
      ids.add(id);
    }
    return ids;
  }

  private Answer post(String key, String path, String body) {
    return hub.postWithKey(
        key, path, JSON, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  private static String batch(String token, String reason) {
    return "{\"agency\":\""
        + RECIPIENT
        + "\",\"error\":\""
        + token
        + "\",\"reason\":\""
        + reason
        + "\"}";
  }

  private static String reason(String reason) {
    return "{\"reason\":\"" + reason + "\"}";
  }

  private static String approve(String approvalId) {
    return "/admin/v1/approvals/" + approvalId + "/approve";
  }

  private static String reject(String approvalId) {
    return "/admin/v1/approvals/" + approvalId + "/reject";
  }

  private String state(String deliveryId) {
    return jdbc.queryForObject(
        "SELECT state FROM delivery WHERE delivery_id = ?", String.class, deliveryId);
  }

  private List<String> replayedEventDetails(String deliveryId) {
    return jdbc.queryForList(
        "SELECT detail FROM hub_event WHERE kind = 'REPLAYED' AND delivery_id = ?",
        String.class,
        deliveryId);
  }

  /** The approval's entries in the audit chain, in chain order. */
  private List<String> auditKinds(String approvalId) {
    return jdbc.queryForList(
        "SELECT kind FROM audit_entry WHERE detail LIKE ?"
            + " AND kind IN ('APPROVAL_REQUESTED', 'APPROVED', 'REJECTED') ORDER BY seq",
        String.class,
        "%" + approvalId + "%");
  }

  /** The approval in the list of that state, or null. */
  private JsonNode listed(String state, String approvalId) {
    Answer list = hub.getWithKey(OPS, "/admin/v1/approvals?size=500&state=" + state);
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    for (JsonNode item : list.get("items")) {
      if (item.get("approvalId").asString().equals(approvalId)) {
        assertThat(item.get("state").asString()).isEqualTo(state.toUpperCase());
        return item;
      }
    }
    return null;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
