package cn.gov.honghu.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.ObjectNode;

/**
 * Case rules under concurrency. Bug fixed: routing once ran before the case lock, so parallel
 * retractions of one message were all accepted although a second retraction is a 422. Simulated by
 * posting the competing messages from several threads released at one instant.
 */
@ApplicationTest
class ConcurrentCaseRulesTest {

  private static final int THREADS = 6;

  @LocalServerPort int port;
  HubClient hub;
  ExecutorService pool;

  @BeforeEach
  void start() {
    hub = new HubClient(port);
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Posts THREADS messages at once; returns their statuses. */
  private List<Integer> postAtOnce(IntFunction<Callable<Integer>> posts) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Callable<Integer> post = posts.apply(i);
      answers.add(
          pool.submit(
              () -> {
                gate.await();
                return post.call();
              }));
    }
    gate.countDown();
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> answer : answers) {
      statuses.add(answer.get());
    }
    return statuses;
  }

  @RepeatedTest(3)
  void shouldAcceptExactlyOneRetractionWhenSeveralRaceForTheSameMessage() throws Exception {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    // when: different retractions (different reasons, so no business duplicates) race
    List<Integer> statuses =
        postAtOnce(
            i -> {
              ObjectNode retraction = Messages.of("RETRACTION", "agriculture", caseNumber, null);
              ((ObjectNode) retraction.get("payload"))
                  .put("retractedMessageId", transfer.get("messageId").asString())
                  .put("reason", "撤回理由 " + i);
              return () -> hub.post("agriculture", retraction).status();
            });
    // then
    assertThat(statuses).containsOnly(202, 422);
    assertThat(statuses.stream().filter(s -> s == 202).count()).isEqualTo(1);
  }

  @RepeatedTest(3)
  void shouldAdmitOnlyTheOpenerWhenTwoAgenciesRaceToOpenTheSameCase() throws Exception {
    // given: a new case number that two agencies claim at once
    String caseNumber = Messages.newCaseNumber();
    String[] senders = {"agriculture", "environment"};
    // when
    List<Integer> statuses =
        postAtOnce(
            i -> {
              String sender = senders[i % 2];
              ObjectNode transfer = Messages.of("CASE_TRANSFER", sender, caseNumber, null);
              return () -> hub.post(sender, transfer).status();
            });
    // then: only the agency that opened the case got in; the other is not a party (403)
    assertThat(statuses).containsOnly(202, 403);
    List<Integer> first = statuses.subList(0, THREADS);
    long agricultureAccepted = 0;
    long environmentAccepted = 0;
    for (int i = 0; i < first.size(); i++) {
      if (first.get(i) == 202) {
        if (i % 2 == 0) {
          agricultureAccepted++;
        } else {
          environmentAccepted++;
        }
      }
    }
    assertThat(agricultureAccepted == 0 || environmentAccepted == 0)
        .as("both agencies got into one case: %s", statuses)
        .isTrue();
  }
}
