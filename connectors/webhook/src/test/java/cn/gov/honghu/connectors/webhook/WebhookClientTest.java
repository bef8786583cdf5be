package cn.gov.honghu.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One attempt against a real HTTP receiver that misbehaves: the hub reads a bounded answer. */
class WebhookClientTest {

  private static final byte[] SECRET = "secret".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

  private HttpServer receiver;
  private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
  private final AtomicLong bytesWritten = new AtomicLong();

  @AfterEach
  void stop() {
    trickler.shutdownNow();
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void shouldReadOnlyTheFirstBytesOfAnEndlessAnswer() {
    // given: a receiver that answers 200 with up to 1 GiB of body
    URI url =
        serve(
            out -> {
              byte[] chunk = new byte[64 * 1024];
              Arrays.fill(chunk, (byte) 'x');
              for (int i = 0; i < 16 * 1024; i++) {
                out.write(chunk);
                bytesWritten.addAndGet(chunk.length);
              }
            });

    // when
    WebhookClient.Attempt attempt = client().send(url, SECRET, "d-1", "m-1", BODY, seconds(20));

    // then: classified by its status, a short excerpt, and most of the body was never sent
    assertThat(attempt.outcome()).isEqualTo(WebhookOutcome.DELIVERED);
    assertThat(attempt.excerpt()).hasSize(WebhookClient.EXCERPT_CHARS).matches("x+");
    assertThat(bytesWritten.get()).isLessThan(64L * 1024 * 1024);
  }

  @Test
  void shouldGiveUpOnAnAnswerTrickledSlowerThanTheTimeout() {
    // given: headers at once, then one byte every 200 ms for a minute
    URI url =
        serve(
            out -> {
              CompletableFuture<Void> clientGone = new CompletableFuture<>();
              trickler.scheduleAtFixedRate(
                  () -> {
                    try {
                      out.write('x');
                      out.flush();
                    } catch (IOException e) {
                      clientGone.complete(null);
                      throw new IllegalStateException("client went away", e); // ends the schedule
                    }
                  },
                  0,
                  200,
                  TimeUnit.MILLISECONDS);
              try {
                clientGone.get(60, TimeUnit.SECONDS);
              } catch (Exception stillThere) {
                // the test ends the receiver
              }
            });

    // when: the timeout covers the whole exchange, not only the headers
    WebhookClient.Attempt attempt = client().send(url, SECRET, "d-1", "m-1", BODY, seconds(1));

    // then
    assertThat(attempt.outcome()).isEqualTo(WebhookOutcome.RETRY);
    assertThat(attempt.error()).startsWith("timeout");
  }

  @Test
  void shouldKeepAShortAnswerWhole() {
    URI url = serve(out -> out.write("{\"error\":\"422 bad\"}".getBytes(StandardCharsets.UTF_8)));

    WebhookClient.Attempt attempt = client().send(url, SECRET, "d-1", "m-1", BODY, seconds(5));

    assertThat(attempt.excerpt()).isEqualTo("{\"error\":\"422 bad\"}");
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  private URI serve(Body body) {
    try {
      receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    receiver.setExecutor(Executors.newCachedThreadPool());
    receiver.createContext(
        "/hook",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, 0); // chunked: no length announced
          try (OutputStream out = exchange.getResponseBody()) {
            body.write(out);
          } catch (IOException clientWentAway) {
            // expected once the hub has read what it wants
          }
        });
    receiver.start();
    return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
  }

  private static WebhookClient client() {
    return new WebhookClient(Duration.ofSeconds(2), Clock.systemUTC());
  }

  private static Duration seconds(int n) {
    return Duration.ofSeconds(n);
  }
}
