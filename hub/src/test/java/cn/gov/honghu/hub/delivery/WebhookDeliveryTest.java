package cn.gov.honghu.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import cn.gov.honghu.hub.support.WebhookReceiver;
import cn.gov.honghu.hub.support.WebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhook delivery against a real HTTP receiver (HUB-SPEC section 4): signed pushes, retries with
 * the same deliveryId, failure after the configured attempts, refusals not retried, independence of
 * agencies, the breaker, the failed store with replay one by one and by filter, and a restart in
 * the middle of retries. {@code water} and {@code natural-resources} receive by webhook here
 * (application-webhook.yml: 4 attempts, 50-200 ms backoff, 1 s timeout, breaker after 5 failures).
 *
 * <p>The tests share one hub but not their state: each starts with both receivers answering 200 and
 * nothing queued or in flight for either agency, so they pass in any order. "Delivered once" is
 * counted only after the hub has nothing left to send to the agency (no delivery of it in state
 * QUEUED, which includes the one being pushed), so a late second push cannot go unseen.
 */
class WebhookDeliveryTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String ADMIN = "ops-test-key";
  private static final String SECOND_ADMIN = "second-admin-test-key";

  @TempDir static Path dataDir;
  static WebhookReceiver receiver;
  static ConfigurableApplicationContext context;
  static HubClient hub;

  @BeforeAll
  static void start() throws Exception {
    receiver = new WebhookReceiver();
    context = startHub();
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
    receiver.close();
  }

  private static ConfigurableApplicationContext startHub() {
    ConfigurableApplicationContext started =
        new SpringApplicationBuilder(HubApplication.class)
            .profiles("test", "webhook")
            .run(
                "--server.port=0",
                "--hub.data-dir=" + dataDir,
                "--webhook.base=" + receiver.baseUrl());
    hub = new HubClient(((WebServerApplicationContext) started).getWebServer().getPort());
    return started;
  }

  @BeforeEach
  void startQuiet() {
    receiver.answer("water", d -> 200);
    receiver.answer("natural-resources", d -> 200);
    awaitDrained("water");
    awaitDrained("natural-resources");
    WebhookDispatcher dispatcher = context.getBean(WebhookDispatcher.class);
    await().atMost(PATIENCE).until(() -> "CLOSED".equals(dispatcher.breakerState("water")));
    await()
        .atMost(PATIENCE)
        .until(() -> "CLOSED".equals(dispatcher.breakerState("natural-resources")));
  }

  @Test
  void shouldPushASignedDeliveryOnceWhenTheReceiverAnswers200() {
    // when
    ObjectNode suggestion = suggestionTo("water");
    String deliveryId = deliveryIdOf(post(suggestion), "water");

    // then
    await().atMost(PATIENCE).until(() -> receiver.deliveredCount(deliveryId) == 1);
    awaitDrained("water");
    assertThat(receiver.of(deliveryId)).hasSize(1);
    Received request = receiver.of(deliveryId).get(0);
    assertThat(request.signatureValid()).isTrue();
    assertThat(request.messageId()).isEqualTo(suggestion.get("messageId").asString());
    assertThat(request.body().get("deliveryId").asString()).isEqualTo(deliveryId);
    assertThat(request.body().get("attempt").asInt()).isEqualTo(1);
    assertThat(request.body().get("message").get("type").asString())
        .isEqualTo("PROCURATORIAL_SUGGESTION");
    assertThat(state(deliveryId)).isEqualTo("DELIVERED");
  }

  @Test
  void shouldRetryWithTheSameDeliveryIdUntilTheReceiverRecovers() {
    // given: the receiver fails twice, then accepts
    AtomicInteger calls = new AtomicInteger();
    receiver.answer("water", d -> calls.incrementAndGet() <= 2 ? 500 : 200);

    // when
    String deliveryId = deliveryIdOf(post(suggestionTo("water")), "water");

    // then: three tries, one delivery, the same id each time, attempt counting up
    await().atMost(PATIENCE).until(() -> receiver.deliveredCount(deliveryId) == 1);
    awaitDrained("water");
    List<Received> tries = receiver.of(deliveryId);
    assertThat(tries).extracting(Received::status).containsExactly(500, 500, 200);
    assertThat(tries).extracting(r -> r.body().get("attempt").asInt()).containsExactly(1, 2, 3);
    assertThat(tries).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
    assertThat(state(deliveryId)).isEqualTo("DELIVERED");
  }

  @Test
  void shouldFailAfterTheConfiguredAttemptsAndDeliverOnceWhenReplayedAfterRecovery() {
    // given: a receiver that is down
    receiver.answer("water", d -> 503);
    String deliveryId = deliveryIdOf(post(suggestionTo("water")), "water");

    // when: the attempts are used up
    await().atMost(PATIENCE).until(() -> "FAILED".equals(state(deliveryId)));

    // then: four tries, and the failed store shows it with every attempt
    assertThat(receiver.of(deliveryId)).hasSize(4);
    Answer list = hub.getWithKey(ADMIN, "/admin/v1/failed?agency=water&size=500");
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    assertThat(ids(list.get("items"))).contains(deliveryId);
    Answer detail = hub.getWithKey(ADMIN, "/admin/v1/failed/" + deliveryId);
    assertThat(detail.status()).as(detail.text()).isEqualTo(200);
    assertThat(detail.get("attempts")).hasSize(4);
    assertThat(detail.get("attempts").get(0).get("status").asInt()).isEqualTo(503);
    assertThat(detail.get("message").get("type").asString()).isEqualTo("PROCURATORIAL_SUGGESTION");
    // the admin's read of the message is in the audit chain (HUB-SPEC section 11)
    assertThat(
            context
                .getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                .queryForObject(
                    "SELECT COUNT(*) FROM audit_entry WHERE kind = 'PERSONAL_DATA_READ'"
                        + " AND actor = 'ops' AND message_id = ? AND detail LIKE ?",
                    Long.class,
                    detail.get("delivery").get("messageId").asString(),
                    "%" + deliveryId + "%"))
        .isEqualTo(1);
    assertThat(hub.get("water", "/admin/v1/failed").status()).isEqualTo(403);

    // and when the receiver recovers and an admin replays it (twice)
    receiver.answer("water", d -> 200);
    Answer replay = replay(deliveryId);
    Answer again = replay(deliveryId);

    // then: delivered once, with the same id
    assertThat(replay.get("replayed").asBoolean()).isTrue();
    assertThat(again.get("replayed").asBoolean()).isFalse();
    await().atMost(PATIENCE).until(() -> receiver.deliveredCount(deliveryId) == 1);
    awaitDrained("water");
    assertThat(state(deliveryId)).isEqualTo("DELIVERED");
    assertThat(receiver.deliveredCount(deliveryId)).isOne();
  }

  @Test
  void shouldFailAtOnceWithTheAnswerRecordedWhenTheReceiverRefuses() {
    // given
    receiver.answer("water", d -> 422);

    // when
    String deliveryId = deliveryIdOf(post(suggestionTo("water")), "water");

    // then
    await().atMost(PATIENCE).until(() -> "FAILED".equals(state(deliveryId)));
    assertThat(receiver.of(deliveryId)).hasSize(1);
    Answer detail = hub.getWithKey(ADMIN, "/admin/v1/failed/" + deliveryId);
    JsonNode attempt = detail.get("attempts").get(0);
    assertThat(attempt.get("outcome").asString()).isEqualTo("REFUSED");
    assertThat(attempt.get("status").asInt()).isEqualTo(422);
    assertThat(attempt.get("excerpt").asString()).contains("422");
    Answer noReason =
        hub.postWithKey(
            ADMIN,
            "/admin/v1/failed/" + deliveryId + "/discard",
            "application/json",
            "{}".getBytes());
    assertThat(noReason.status()).isEqualTo(400);
    Answer discard =
        hub.postWithKey(
            ADMIN,
            "/admin/v1/failed/" + deliveryId + "/discard",
            "application/json",
            "{\"reason\":\"the agency rejects this document type; sent by post\"}".getBytes());
    assertThat(discard.status()).as(discard.text()).isEqualTo(200);
    assertThat(state(deliveryId)).isEqualTo("DISCARDED");
    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM admin_action WHERE action = 'DISCARD' AND target = ?"
                    + " AND admin = 'ops' AND reason LIKE 'the agency rejects%'",
                Integer.class, deliveryId))
        .isOne();
  }

  @Test
  void shouldKeepDeliveringToOneAgencyWhileAnotherHangs() throws Exception {
    // given: natural-resources hangs on every request until released
    CountDownLatch release = new CountDownLatch(1);
    receiver.answer(
        "natural-resources",
        d -> {
          release.await(30, TimeUnit.SECONDS);
          return 200;
        });
    post(suggestionTo("natural-resources"));

    // when
    String toWater = deliveryIdOf(post(suggestionTo("water")), "water");

    // then: water's delivery arrives while natural-resources is still hanging
    try {
      await().atMost(PATIENCE).until(() -> receiver.deliveredCount(toWater) == 1);
      assertThat(release.getCount()).isOne();
    } finally {
      release.countDown();
    }
    awaitDrained("water");
    assertThat(receiver.deliveredCount(toWater)).isOne();
  }

  @Test
  void shouldOpenTheBreakerAfterRepeatedFailuresAndCloseItWhenTheAgencyRecovers() {
    // given: water down; enough deliveries to fail five tries in a row
    receiver.answer("water", d -> 503);
    WebhookDispatcher dispatcher = context.getBean(WebhookDispatcher.class);
    List<String> deliveries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      deliveries.add(deliveryIdOf(post(suggestionTo("water")), "water"));
    }

    // when
    await().atMost(PATIENCE).until(() -> "OPEN".equals(dispatcher.breakerState("water")));
    int triesWhileOpen = receiver.received().size();

    // then: once water is back, the half-open probe closes the breaker and deliveries go
    receiver.answer("water", d -> 200);
    await().atMost(PATIENCE).until(() -> "CLOSED".equals(dispatcher.breakerState("water")));
    assertThat(receiver.received().size()).isGreaterThan(triesWhileOpen);
    Answer metrics = hub.get(null, "/actuator/prometheus");
    assertThat(metrics.text()).contains("hub_webhook_breaker_open{agency=\"water\"");
    // the deliveries not yet failed are delivered; failed ones wait for a replay
    for (String deliveryId : deliveries) {
      await()
          .atMost(PATIENCE)
          .until(() -> List.of("DELIVERED", "FAILED").contains(state(deliveryId)));
    }
  }

  @Test
  void shouldDeliverEachOfAFewHundredFailedDeliveriesOnceWhenReplayedByFilter() {
    // given: 200 deliveries refused by water with 410 (failed at once)
    receiver.answer("water", d -> 410);
    List<String> deliveries = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      deliveries.add(deliveryIdOf(post(suggestionTo("water")), "water"));
    }
    await()
        .atMost(PATIENCE)
        .until(() -> deliveries.stream().allMatch(id -> "FAILED".equals(state(id))));

    // when: water accepts again and an admin replays by filter: over the four-eyes threshold (5
    // in the test deployment), so a second admin approves it
    receiver.answer("water", d -> 200);
    Answer replay =
        hub.postWithKey(
            ADMIN,
            "/admin/v1/failed/replay",
            "application/json",
            ("{\"agency\":\"water\",\"type\":\"PROCURATORIAL_SUGGESTION\",\"error\":\"HTTP 410\","
                    + "\"reason\":\"water accepts again\"}")
                .getBytes());
    assertThat(replay.status()).as(replay.text()).isEqualTo(202);
    assertThat(replay.get("matched").asInt()).isEqualTo(200);
    assertThat(deliveries).allSatisfy(id -> assertThat(state(id)).isEqualTo("FAILED"));
    Answer approved = approve(replay.get("approvalId").asString());

    // then
    assertThat(approved.get("queued").asInt()).isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .until(() -> deliveries.stream().allMatch(id -> receiver.deliveredCount(id) == 1));
    awaitDrained("water");
    assertThat(deliveries).allSatisfy(id -> assertThat(state(id)).isEqualTo("DELIVERED"));
    assertThat(deliveries).allSatisfy(id -> assertThat(receiver.deliveredCount(id)).isOne());
  }

  @Test
  void shouldLoseAndDoubleNothingWhenTheHubRestartsInTheMiddleOfRetries() {
    // given: water down while twenty deliveries are being retried
    receiver.answer("water", d -> 503);
    List<String> deliveries = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      deliveries.add(deliveryIdOf(post(suggestionTo("water")), "water"));
    }
    await().atMost(PATIENCE).until(() -> !receiver.of(deliveries.get(0)).isEmpty());

    // when: the hub stops mid-retries, water recovers, the hub starts again
    context.close();
    receiver.answer("water", d -> 200);
    context = startHub();
    hub.getWithKey(ADMIN, "/admin/v1/failed?agency=water&size=500");
    Answer replay =
        hub.postWithKey(
            ADMIN,
            "/admin/v1/failed/replay",
            "application/json",
            "{\"agency\":\"water\",\"error\":\"HTTP 503\",\"reason\":\"water recovered\"}"
                .getBytes());
    if (replay.status() == 202) { // more failed than the four-eyes threshold
      approve(replay.get("approvalId").asString());
    }

    // then: every delivery reaches water exactly once
    await()
        .atMost(PATIENCE)
        .until(() -> deliveries.stream().allMatch(id -> receiver.deliveredCount(id) == 1));
    awaitDrained("water");
    Set<String> once = new HashSet<>();
    for (String id : deliveries) {
      assertThat(receiver.deliveredCount(id)).as("2xx answers for %s", id).isOne();
      once.add(id);
    }
    assertThat(once).hasSize(20);
  }

  // ---- helpers ----

  private static ObjectNode suggestionTo(String agency) {
    return Messages.of(
        "PROCURATORIAL_SUGGESTION", "procuratorate", Messages.newCaseNumber(), agency);
  }

  private static Answer post(ObjectNode message) {
    Answer answer = hub.post("procuratorate", message);
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    return answer;
  }

  /** The delivery id of the message's delivery to an agency, from the sender's status view. */
  private static String deliveryIdOf(Answer accepted, String agency) {
    Answer status =
        hub.get("procuratorate", "/api/v1/messages/" + accepted.get("messageId").asString());
    for (JsonNode delivery : status.get("deliveries")) {
      if (delivery.get("recipient").asString().equals(agency)) {
        return delivery.get("deliveryId").asString();
      }
    }
    throw new AssertionError("no delivery to " + agency + ": " + status.text());
  }

  /**
   * Waits until the hub has nothing left to push to the agency: none of its deliveries is QUEUED
   * (waiting, retrying, or leased to the push in flight). After that no further push can come
   * without a replay, so counts taken then are final.
   */
  private static void awaitDrained(String agency) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                context
                        .getBean(JdbcTemplate.class)
                        .queryForObject(
                            "SELECT COUNT(*) FROM delivery WHERE recipient = ? AND state = 'QUEUED'",
                            Integer.class,
                            agency)
                    == 0);
  }

  private static String state(String deliveryId) {
    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
    return jdbc.queryForObject(
        "SELECT state FROM delivery WHERE delivery_id = ?", String.class, deliveryId);
  }

  private static Answer replay(String deliveryId) {
    Answer answer =
        hub.postWithKey(
            ADMIN,
            "/admin/v1/failed/" + deliveryId + "/replay",
            "application/json",
            "{\"reason\":\"receiver recovered\"}".getBytes());
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer;
  }

  /** A second admin approves a batch replay waiting for four eyes. */
  private static Answer approve(String approvalId) {
    Answer answer =
        hub.postWithKey(
            SECOND_ADMIN,
            "/admin/v1/approvals/" + approvalId + "/approve",
            "application/json",
            new byte[0]);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer;
  }

  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.get("id").asString()));
    return ids;
  }
}
