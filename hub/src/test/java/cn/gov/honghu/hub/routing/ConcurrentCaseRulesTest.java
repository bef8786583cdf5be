package cn.gov.honghu.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
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

  /** Posts THREADS messages at once; returns their answers in thread order. */
  private List<Answer> postAtOnce(IntFunction<Callable<Answer>> posts) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<Answer>> answers = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Callable<Answer> post = posts.apply(i);
      answers.add(
          pool.submit(
              () -> {
                gate.await();
                return post.call();
              }));
    }
    gate.countDown();
    List<Answer> done = new ArrayList<>();
    for (Future<Answer> answer : answers) {
      done.add(answer.get());
    }
    return done;
  }

  @RepeatedTest(3)
  void shouldAcceptExactlyOneRetractionWhenSeveralRaceForTheSameMessage() throws Exception {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    // when: different retractions (different reasons, so no business duplicates) race
    List<Answer> answers =
        postAtOnce(
            i -> {
              ObjectNode retraction = Messages.of("RETRACTION", "agriculture", caseNumber, null);
              ((ObjectNode) retraction.get("payload"))
                  .put("retractedMessageId", transfer.get("messageId").asString())
                  .put("reason", "撤回理由 " + i);
              return () -> hub.post("agriculture", retraction);
            });
    // then: one accepted; every other one breaks T16 (the message is already retracted)
    assertThat(answers).filteredOn(a -> a.status() == 202).hasSize(1);
    assertThat(answers)
        .filteredOn(a -> a.status() != 202)
        .hasSize(THREADS - 1)
        .allSatisfy(
            a -> {
              assertThat(a.status()).as(a.text()).isEqualTo(422);
              assertThat(a.get("type").asString()).isEqualTo("urn:hub:problem:case-rule");
              assertThat(a.get("rule").asString()).as(a.text()).isEqualTo("T16");
            });
  }

  @RepeatedTest(3)
  void shouldAdmitOnlyTheOpenerWhenTwoAgenciesRaceToOpenTheSameCase() throws Exception {
    // given: a new case number that two agencies claim at once
    String caseNumber = Messages.newCaseNumber();
    String[] senders = {"agriculture", "environment"};
    // when
    List<Answer> answers =
        postAtOnce(
            i -> {
              String sender = senders[i % 2];
              ObjectNode transfer = Messages.of("CASE_TRANSFER", sender, caseNumber, null);
              return () -> hub.post(sender, transfer);
            });
    // then: the opener's transfers are accepted (different transfers, no duplicates); every
    // transfer of the other agency is refused because it is not a party of the case (403)
    List<Integer> statuses = answers.stream().map(Answer::status).toList();
    int openerParity = statuses.indexOf(202) % 2;
    assertThat(statuses.indexOf(202)).as("nobody opened the case: %s", statuses).isNotNegative();
    for (int i = 0; i < THREADS; i++) {
      Answer answer = answers.get(i);
      if (i % 2 == openerParity) {
        assertThat(answer.status()).as(senders[i % 2] + ": " + answer.text()).isEqualTo(202);
      } else {
        assertThat(answer.status()).as(senders[i % 2] + ": " + answer.text()).isEqualTo(403);
        assertThat(answer.get("type").asString()).isEqualTo("urn:hub:problem:forbidden");
        assertThat(answer.get("detail").asString())
            .isEqualTo("the sender is not a party to this case");
      }
    }
  }
}
