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
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The promise of a 202 under a crash: the packaged hub is killed with SIGKILL while clients post
 * and the police pull, then restarted on the same data. Every message answered 202 must reach each
 * recipient's inbox exactly once (one deliveryId per recipient; a pulled but unacknowledged
 * delivery may be handed out again, with the same deliveryId).
 */
class CrashRecoveryIT {

  private static final int POSTERS = 4;
  private static final int ACCEPTED_BEFORE_KILL = 300;
  private static final List<String> RECIPIENTS = List.of("police", "procuratorate");

  @TempDir Path dataDir;

  @Test
  void shouldDeliverEveryAcceptedMessageExactlyOnceWhenTheHubIsKilledUnderLoad() throws Exception {
    Set<String> sent = ConcurrentHashMap.newKeySet();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    Map<String, Map<String, Set<String>>> seen = new ConcurrentHashMap<>();
    RECIPIENTS.forEach(r -> seen.put(r, new ConcurrentHashMap<>()));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger unanswered = new AtomicInteger();
    Map<Integer, Integer> refused = new ConcurrentHashMap<>();

    // given: the hub under load from four posters and a pulling police client
    try (HubProcess hub = new HubProcess(dataDir).start()) {
      Properties keys = hub.devKeys();
      HubClient client = new HubClient(hub.baseUrl());
      ExecutorService load = Executors.newFixedThreadPool(POSTERS + 1);
      for (int i = 0; i < POSTERS; i++) {
        load.submit(
            () -> {
              while (running.get()) {
                ObjectNode transfer =
                    Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
                String id = transfer.get("messageId").asString();
                sent.add(id);
                try {
                  Answer answer = post(client, keys.getProperty("agriculture"), transfer);
                  if (answer.status() == 202) {
                    accepted.add(id);
                  } else {
                    refused.merge(answer.status(), 1, Integer::sum);
                  }
                } catch (RuntimeException connectionLost) {
                  unanswered.incrementAndGet();
                  return;
                }
              }
            });
      }
      load.submit(
          () -> {
            while (running.get()) {
              try {
                drainOnce(client, keys.getProperty("police"), "police", seen);
              } catch (RuntimeException connectionLost) {
                return;
              }
            }
          });

      // when: SIGKILL in the middle of it
      await().atMost(Duration.ofSeconds(120)).until(() -> accepted.size() >= ACCEPTED_BEFORE_KILL);
      hub.kill();
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      // and the hub comes back on the same data
      hub.start();
      for (String recipient : RECIPIENTS) {
        String key = keys.getProperty(recipient);
        while (drainOnce(client, key, recipient, seen) > 0) {
          // keep pulling until the inbox is empty
        }
      }
    }

    // then: every 202 delivered exactly once to each recipient; nothing lost, nothing doubled
    for (String recipient : RECIPIENTS) {
      Map<String, Set<String>> deliveries = seen.get(recipient);
      long delivered = accepted.stream().filter(deliveries::containsKey).count();
      List<String> lost = accepted.stream().filter(id -> !deliveries.containsKey(id)).toList();
      List<String> doubled = new ArrayList<>();
      deliveries.forEach(
          (messageId, ids) -> {
            if (sent.contains(messageId) && ids.size() > 1) {
              doubled.add(messageId);
            }
          });
      System.out.printf(
          "crash recovery [%s]: sent=%d accepted=%d delivered=%d lost=%d doubled=%d"
              + " (in flight at the kill, unanswered=%d; other answers %s)%n",
          recipient,
          sent.size(),
          accepted.size(),
          delivered,
          lost.size(),
          doubled.size(),
          unanswered.get(),
          refused);
      assertThat(lost).as("accepted but never delivered to %s", recipient).isEmpty();
      assertThat(doubled).as("delivered to %s under two deliveryIds", recipient).isEmpty();
    }
    assertThat(accepted).hasSizeGreaterThanOrEqualTo(ACCEPTED_BEFORE_KILL);
  }

  private static Answer post(HubClient client, String key, ObjectNode message) {
    return client.postWithKey(
        key,
        "/api/v1/messages",
        "application/json",
        HubClient.JSON.writeValueAsString(message).getBytes(StandardCharsets.UTF_8));
  }

  /** Pulls one batch, records deliveryIds per messageId, acknowledges them; returns the count. */
  private static int drainOnce(
      HubClient client, String key, String recipient, Map<String, Map<String, Set<String>>> seen) {
    Answer inbox = client.getWithKey(key, "/api/v1/inbox?limit=200");
    if (inbox.status() != 200) {
      throw new IllegalStateException("inbox answered " + inbox.status());
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
      throw new IllegalStateException("ack answered " + acked.status());
    }
    return deliveries.size();
  }
}
