package cn.gov.honghu.hub.stats;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin statistics from running totals (issue 15): accepted, refused and delivered stay exact
 * while deliveries move from waiting to finished, without counting the history. The database is
 * shared with the other application tests, so the test compares figures before and after.
 */
@ApplicationTest
class AdminStatsTest {

  private static final String ADMIN = "ops-test-key";
  private static final String SENDER = "procuratorate";
  private static final String RECIPIENT = "natural-resources";

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
    drain();
  }

  @Test
  void shouldKeepAcceptedRefusedAndDeliveredExactWhenDeliveriesFinish() {
    // given
    JsonNode senderBefore = stats(SENDER);
    JsonNode recipientBefore = stats(RECIPIENT);

    // when: three messages accepted, one refused, then the recipient takes and acknowledges all
    for (int i = 0; i < 3; i++) {
      ObjectNode suggestion =
          Messages.of("PROCURATORIAL_SUGGESTION", SENDER, Messages.newCaseNumber(), RECIPIENT);
      assertThat(hub.post(SENDER, suggestion).status()).isEqualTo(202);
    }
    assertThat(
            hub.postRaw(SENDER, "application/json", "{".getBytes(StandardCharsets.UTF_8)).status())
        .isEqualTo(400);
    JsonNode senderAfterPosts = stats(SENDER);
    JsonNode recipientWaiting = stats(RECIPIENT);
    int acknowledged = drain();

    // then
    assertThat(senderAfterPosts.get("acceptedByType").get("PROCURATORIAL_SUGGESTION").asLong())
        .isEqualTo(
            senderBefore.path("acceptedByType").path("PROCURATORIAL_SUGGESTION").asLong(0) + 3);
    assertThat(senderAfterPosts.get("accepted").asLong())
        .isEqualTo(senderBefore.get("accepted").asLong() + 3);
    assertThat(senderAfterPosts.get("rejected").asLong())
        .isEqualTo(senderBefore.get("rejected").asLong() + 1);
    assertThat(recipientWaiting.get("delivered").asLong())
        .isEqualTo(recipientBefore.get("delivered").asLong());
    assertThat(recipientWaiting.get("pending").asLong()).isGreaterThanOrEqualTo(3);
    JsonNode recipientAfter = stats(RECIPIENT);
    assertThat(acknowledged).isGreaterThanOrEqualTo(3);
    assertThat(recipientAfter.get("delivered").asLong())
        .isEqualTo(recipientBefore.get("delivered").asLong() + acknowledged);
    assertThat(recipientAfter.get("pending").asLong()).isZero();
  }

  @Test
  void shouldCountEveryAcceptedMessageWhenTheSenderPostsConcurrently() throws Exception {
    // given
    long before = stats(SENDER).get("accepted").asLong();
    ExecutorService posters = Executors.newFixedThreadPool(8);

    // when: 40 messages of one sender and type at once, all updating the same totals
    List<Future<Integer>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        answers.add(
            posters.submit(
                () ->
                    hub.post(
                            SENDER,
                            Messages.of(
                                "PROCURATORIAL_SUGGESTION",
                                SENDER,
                                Messages.newCaseNumber(),
                                RECIPIENT))
                        .status()));
      }
      for (Future<Integer> answer : answers) {
        assertThat(answer.get()).isEqualTo(202);
      }
    } finally {
      posters.shutdownNow();
    }

    // then
    assertThat(stats(SENDER).get("accepted").asLong()).isEqualTo(before + 40);
  }

  private JsonNode stats(String agency) {
    Answer answer = hub.getWithKey(ADMIN, "/admin/v1/stats");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    for (JsonNode figures : answer.get("agencies")) {
      if (agency.equals(figures.get("agency").asString())) {
        return figures;
      }
    }
    throw new AssertionError("no stats for " + agency + ": " + answer.text());
  }

  /** Pulls and acknowledges everything the recipient holds; the number acknowledged. */
  private int drain() {
    int acknowledged = 0;
    for (int round = 0; round < 100; round++) {
      Answer pulled = hub.get(RECIPIENT, "/api/v1/inbox?limit=500");
      assertThat(pulled.status()).isEqualTo(200);
      JsonNode deliveries = pulled.get("deliveries");
      if (deliveries.isEmpty()) {
        return acknowledged;
      }
      List<String> ids = new ArrayList<>();
      deliveries.forEach(d -> ids.add(d.get("deliveryId").asString()));
      ObjectNode body = HubClient.JSON.createObjectNode();
      ids.forEach(body.putArray("deliveryIds")::add);
      assertThat(hub.post(RECIPIENT, "/api/v1/inbox/ack", body).status()).isEqualTo(200);
      acknowledged += ids.size();
    }
    return acknowledged;
  }
}
