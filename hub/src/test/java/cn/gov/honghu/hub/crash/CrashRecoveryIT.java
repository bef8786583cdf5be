package cn.gov.honghu.hub.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.HubProcess;
import cn.gov.honghu.hub.support.Messages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The promise of a 202 under repeated crashes, and the hub's answers in the first seconds after
 * each restart. The packaged hub is killed with SIGKILL while clients post, the police and the
 * procuratorate pull and Prometheus scrapes, then restarted on the same data, {@link #CYCLES}
 * times. As soon as the hub is ready again the recipients pull and acknowledge, as an agency system
 * does, while what the crash left half-finished is taken up around them (H2 recovery, the outbox
 * relay, the webhook leases, the deadline and escalation watches). Every answer must be right, or
 * 503 with Retry-After, never 500. At the end every message answered 202 must have reached each
 * recipient's inbox exactly once (one deliveryId per recipient; a pulled but unacknowledged
 * delivery may be handed out again, with the same deliveryId).
 */
class CrashRecoveryIT {

  /**
   * A failure seen once in fifteen restarts shows in 20 cycles about three times in four; more with
   * {@code -Dcrash.cycles=N}.
   */
  private static final int CYCLES = Integer.getInteger("crash.cycles", 20);

  private static final int POSTERS = 8;

  /** Messages accepted in a cycle before its kill: short, so that all cycles take minutes. */
  private static final int ACCEPTED_PER_CYCLE = 40;

  /** Pulls each recipient makes alone after the restart, before the senders come back. */
  private static final int PULLS_ALONE = 5;

  private static final List<String> RECIPIENTS = List.of("police", "procuratorate");

  /** Kept when the test fails: hub.log there holds every run of the hub. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dataDir;

  private final Set<String> sent = ConcurrentHashMap.newKeySet();
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, Set<String>>> seen = new ConcurrentHashMap<>();
  private final List<String> wrongAnswers = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger unanswered = new AtomicInteger();
  private final AtomicInteger retryLater = new AtomicInteger();

  @Test
  void shouldAnswerEveryPullAndDeliverEveryAcceptedMessageExactlyOnceAcrossRepeatedKills()
      throws Exception {
    RECIPIENTS.forEach(r -> seen.put(r, new ConcurrentHashMap<>()));
    long started = System.nanoTime();
    int cycles = 0;

    // C1 only: the hub starts in about half the CPU time, which is what the cycles spend.
    try (HubProcess hub =
        new HubProcess(dataDir).withArgs(List.of("-XX:TieredStopAtLevel=1"), List.of())) {
      while (cycles < CYCLES && wrongAnswers.isEmpty()) {
        String at = "cycle " + ++cycles;
        hub.start();
        Properties keys = hub.devKeys();
        HubClient client = new HubClient(hub.baseUrl());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger acceptedNow = new AtomicInteger();
        AtomicInteger pulls = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(RECIPIENTS.size() + POSTERS);

        // when: the recipients pull and acknowledge as soon as the hub is ready again
        for (String recipient : RECIPIENTS) {
          clients.submit(
              () -> {
                while (running.get()) {
                  try {
                    int pulled = drainOnce(client, keys.getProperty(recipient), recipient, at);
                    pulls.incrementAndGet();
                    if (pulled == 0) {
                      pause(Duration.ofMillis(20)); // an empty inbox: a client's poll interval
                    }
                  } catch (RuntimeException connectionLost) {
                    return;
                  }
                }
              });
        }
        await("the recipients pull alone after the restart")
            .atMost(Duration.ofSeconds(60))
            .until(() -> pulls.get() >= PULLS_ALONE * RECIPIENTS.size() || !wrongAnswers.isEmpty());

        // and the senders post again, until the next kill
        for (int i = 0; i < POSTERS; i++) {
          clients.submit(
              () -> {
                while (running.get()) {
                  try {
                    postOnce(client, keys.getProperty("agriculture"), at, acceptedNow);
                  } catch (RuntimeException connectionLost) {
                    unanswered.incrementAndGet();
                    return;
                  }
                }
              });
        }
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> acceptedNow.get() >= ACCEPTED_PER_CYCLE || !wrongAnswers.isEmpty());
        Answer scrape = client.get(null, "/actuator/prometheus");
        if (scrape.status() != 200) {
          wrongAnswers.add(at + ": GET /actuator/prometheus answered " + scrape.status());
        }

        // and SIGKILL in the middle of it
        hub.kill();
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      }

      // and the hub comes back once more: the recipients empty their inboxes
      if (wrongAnswers.isEmpty()) {
        hub.start();
        Properties keys = hub.devKeys();
        HubClient client = new HubClient(hub.baseUrl());
        for (String recipient : RECIPIENTS) {
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> drainOnce(client, keys.getProperty(recipient), recipient, "end") == 0);
        }
      }
    }

    // then: no 500 (nor any other wrong answer) in any cycle
    System.out.printf(
        "crash recovery: %d cycles in %d s; sent=%d accepted=%d (in flight at the kills,"
            + " unanswered=%d; 503 with Retry-After=%d)%n",
        cycles,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
        sent.size(),
        accepted.size(),
        unanswered.get(),
        retryLater.get());
    assertThat(wrongAnswers)
        .as("answers neither right nor 503 with Retry-After (see %s)", dataDir.resolve("hub.log"))
        .isEmpty();

    // and every 202 delivered exactly once to each recipient; nothing lost, nothing doubled
    for (String recipient : RECIPIENTS) {
      Map<String, Set<String>> deliveries = seen.get(recipient);
      List<String> lost = accepted.stream().filter(id -> !deliveries.containsKey(id)).toList();
      List<String> doubled = new ArrayList<>();
      deliveries.forEach(
          (messageId, ids) -> {
            if (sent.contains(messageId) && ids.size() > 1) {
              doubled.add(messageId);
            }
          });
      assertThat(lost).as("accepted but never delivered to %s", recipient).isEmpty();
      assertThat(doubled).as("delivered to %s under two deliveryIds", recipient).isEmpty();
    }
    assertThat(accepted).hasSizeGreaterThanOrEqualTo(CYCLES * ACCEPTED_PER_CYCLE);
  }

  /** Posts one new case transfer; 202 and 503 with Retry-After are the right answers. */
  private void postOnce(HubClient client, String key, String at, AtomicInteger acceptedNow) {
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    String id = transfer.get("messageId").asString();
    sent.add(id);
    Answer answer =
        client.postWithKey(
            key,
            "/api/v1/messages",
            "application/json",
            HubClient.JSON.writeValueAsString(transfer).getBytes(StandardCharsets.UTF_8));
    if (answer.status() == 202) {
      accepted.add(id);
      acceptedNow.incrementAndGet();
    } else {
      check(answer, at, "POST /api/v1/messages");
    }
  }

  /**
   * Pulls one batch, records deliveryIds per messageId and acknowledges them; returns how many it
   * pulled, or -1 when the hub asked to retry later.
   */
  private int drainOnce(HubClient client, String key, String recipient, String at) {
    Answer inbox = client.getWithKey(key, "/api/v1/inbox?limit=500");
    if (inbox.status() != 200) {
      check(inbox, at, "GET /api/v1/inbox");
      return -1;
    }
    JsonNode deliveries = inbox.get("deliveries");
    if (deliveries.isEmpty()) {
      return 0;
    }
    ObjectNode ack = HubClient.JSON.createObjectNode();
    var ids = ack.putArray("deliveryIds");
    for (JsonNode delivery : deliveries) {
      seen.get(recipient)
          .computeIfAbsent(delivery.get("messageId").asString(), k -> ConcurrentHashMap.newKeySet())
          .add(delivery.get("deliveryId").asString());
      ids.add(delivery.get("deliveryId").asString());
    }
    Answer acked =
        client.postWithKey(
            key,
            "/api/v1/inbox/ack",
            "application/json",
            HubClient.JSON.writeValueAsString(ack).getBytes(StandardCharsets.UTF_8));
    if (acked.status() != 200) {
      check(acked, at, "POST /api/v1/inbox/ack");
      return -1;
    }
    return deliveries.size();
  }

  /** A 503 with Retry-After is a right answer (the client waits); anything else is recorded. */
  private void check(Answer answer, String at, String request) {
    if (answer.status() == 503 && answer.retryAfter() != null) {
      retryLater.incrementAndGet();
      pause(Duration.ofMillis(200));
      return;
    }
    wrongAnswers.add(
        at
            + ": "
            + request
            + " answered "
            + answer.status()
            + (answer.status() == 503 ? " without Retry-After " : " ")
            + answer.text());
    pause(Duration.ofMillis(200));
  }

  /** A client's pause (its poll interval, or waiting before it sends again). */
  private static void pause(Duration duration) {
    await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
  }
}
