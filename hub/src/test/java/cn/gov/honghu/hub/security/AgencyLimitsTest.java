package cn.gov.honghu.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.AgencyConfig;
import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The per-agency limits (HUB-SPEC section 11, "Request limits"): the test deployment limits one
 * agency's message rate (application-test.yml) and no other agency's; every agency has {@code
 * hub.ingest.max-concurrent} requests in flight. Over either: 429 {@code rate-limited} with {@code
 * Retry-After} in whole seconds, for that agency only.
 */
@ApplicationTest
class AgencyLimitsTest {

  private static final String RATE_LIMITED = "urn:hub:problem:rate-limited";
  private static final String MESSAGES = "/api/v1/messages";
  private static final String LIMITED = "sandbox";

  @LocalServerPort int port;
  @Autowired HubProperties properties;
  HubClient hub;

  @BeforeEach
  void client() {
    // no other test posts as the limited agency: its bucket is full when a test starts
    hub = new HubClient(port);
  }

  @Test
  void shouldRefuseTheExcessWith429WhenAnAgencyPostsAtTenTimesItsRateAndServeTheOthers()
      throws Exception {
    // given: the limited agency's configured rate, and 100 posts at ten times it from four threads
    AgencyConfig limited =
        properties.agencies().stream().filter(a -> a.code().equals(LIMITED)).findFirst().get();
    double rate = limited.ratePerSecond();
    int burst = limited.burst();
    int posts = 100;
    long spacingMillis = Math.round(1000 / (rate * 10) * 4); // four threads share the pace
    ScheduledExecutorService senders = Executors.newScheduledThreadPool(5);
    List<HttpResponse<String>> limitedAnswers = new CopyOnWriteArrayList<>();
    Map<Integer, Integer> agricultureAnswers = new ConcurrentHashMap<>();

    // when: and agriculture posts one message every 100 ms meanwhile
    long started = System.nanoTime();
    List<CompletableFuture<Void>> running = new ArrayList<>();
    try {
      for (int thread = 0; thread < 4; thread++) {
        running.add(
            paced(senders, posts / 4, spacingMillis, () -> limitedAnswers.add(post(LIMITED))));
      }
      running.add(
          paced(
              senders,
              20,
              100,
              () -> agricultureAnswers.merge(post("agriculture").statusCode(), 1, Integer::sum)));
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      senders.shutdownNow();
    }
    double elapsed = (System.nanoTime() - started) / 1e9;

    // then: about rate × time + burst accepted, the rest refused with Retry-After
    long accepted = limitedAnswers.stream().filter(a -> a.statusCode() == 202).count();
    List<HttpResponse<String>> refused =
        limitedAnswers.stream().filter(a -> a.statusCode() != 202).toList();
    System.out.printf(
        LIMITED + " at 10x its rate: %d posts in %.1f s, %d accepted, %d refused%n",
        limitedAnswers.size(),
        elapsed,
        accepted,
        refused.size());
    assertThat(limitedAnswers).hasSize(posts);
    assertThat(accepted)
        .as("accepted in %.1f s at %s/s with bursts of %d", elapsed, rate, burst)
        .isGreaterThanOrEqualTo(burst)
        // the permits refill a burst at a time: one more burst at most at a refill boundary
        .isLessThanOrEqualTo(Math.round(burst + rate * elapsed + burst));
    assertThat(refused).isNotEmpty().allSatisfy(AgencyLimitsTest::assertRateLimited);
    assertThat(agricultureAnswers).as("agriculture's answers").containsOnlyKeys(202);
    assertThat(agricultureAnswers.get(202)).isEqualTo(20);
  }

  @Test
  void shouldRefuseOneMoreRequestWith429WhileTheAgencyHasMaxConcurrentInFlight() throws Exception {
    // given: justice holds max-concurrent acknowledgements in flight, their bodies sent slowly
    int maxConcurrent = properties.ingest().maxConcurrent();
    List<SlowAck> held = new ArrayList<>();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < maxConcurrent; i++) {
        held.add(new SlowAck(port, HubClient.key("justice")));
      }
      Future<?> trickling =
          trickle.scheduleWithFixedDelay(
              () -> {
                for (SlowAck ack : held) {
                  try {
                    ack.trickle();
                  } catch (IOException closed) {
                    // the others keep trickling; the assertions say whether it mattered
                  }
                }
              },
              0,
              200,
              TimeUnit.MILLISECONDS);
      awaitRefusal("justice");

      // when: one more request of justice, and one of agriculture
      long before = System.nanoTime();
      HttpResponse<String> oneMore = inbox("justice");
      long millis = (System.nanoTime() - before) / 1_000_000;
      HttpResponse<String> another = inbox("agriculture");

      // then: justice is refused at once, agriculture served
      assertRateLimited(oneMore);
      assertThat(millis).as("refused at once").isLessThan(1000);
      assertThat(another.statusCode()).as(another.body()).isEqualTo(200);

      // and when the slow ones finish, justice is served again
      trickling.cancel(true);
      trickle.shutdown();
      assertThat(trickle.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      for (SlowAck ack : held) {
        assertThat(ack.finish()).as("a held acknowledgement").startsWith("HTTP/1.1 200");
      }
      assertThat(inbox("justice").statusCode()).isEqualTo(200);
    } finally {
      trickle.shutdownNow();
      for (SlowAck ack : held) {
        ack.close();
      }
    }
  }

  /** Polls (each poll briefly takes a place itself) until the agency is refused, at most 10 s. */
  private void awaitRefusal(String agency) {
    await(agency + " refused while its requests are held")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> inbox(agency).statusCode() == 429);
  }

  static void assertRateLimited(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = HubClient.JSON.readTree(answer.body());
    assertThat(problem.path("type").asString()).isEqualTo(RATE_LIMITED);
    assertThat(problem.path("status").asInt()).isEqualTo(429);
    assertThat(answer.headers().firstValue("Retry-After"))
        .hasValueSatisfying(
            seconds -> assertThat(Long.parseLong(seconds)).isGreaterThanOrEqualTo(1));
  }

  private HttpResponse<String> post(String agency) {
    return hub.exchange(
        MESSAGES,
        Map.of(
            "Authorization", "Bearer " + HubClient.key(agency), "Content-Type", "application/json"),
        HubClient.JSON
            .writeValueAsString(
                Messages.of("CASE_TRANSFER", agency, Messages.newCaseNumber(), null))
            .getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> inbox(String agency) {
    return hub.exchangeGet("/api/v1/inbox?limit=1", HubClient.key(agency));
  }

  /**
   * {@code POST /api/v1/inbox/ack} whose chunked body comes a space at a time until {@link
   * #finish}: the request stays in flight at the hub meanwhile.
   */
  private static final class SlowAck implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    SlowAck(int port, String key) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/inbox/ack HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + key
                  + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                  + "Connection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      chunk("{\"deliveryIds\": [");
    }

    synchronized void trickle() throws IOException {
      chunk(" ");
    }

    /** The rest of the body; the answer's status line. */
    synchronized String finish() throws IOException {
      chunk("\"" + java.util.UUID.randomUUID() + "\"]}");
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int b; (b = in.read()) >= 0 && b != '\r'; ) {
        line.append((char) b);
      }
      return line.toString();
    }

    private void chunk(String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Runs {@code send} {@code times} times, {@code spacingMillis} apart, as a paced client does. */
  private static CompletableFuture<Void> paced(
      ScheduledExecutorService scheduler, int times, long spacingMillis, Runnable send) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger sent =
        new java.util.concurrent.atomic.AtomicInteger();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            send.run();
            if (sent.incrementAndGet() == times) {
              done.complete(null);
              throw new CancellationException("done"); // ends the schedule
            }
          } catch (CancellationException finished) {
            throw finished;
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
            throw e;
          }
        },
        0,
        spacingMillis,
        TimeUnit.MILLISECONDS);
    return done;
  }
}
