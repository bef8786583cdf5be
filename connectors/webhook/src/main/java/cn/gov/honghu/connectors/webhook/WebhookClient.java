package cn.gov.honghu.connectors.webhook;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one delivery to an agency's URL with the headers of HUB-SPEC section 4 and classifies the
 * answer. One attempt per call; the caller decides about retries.
 */
public final class WebhookClient {

  /**
   * How much of an answer's body the hub reads at most: the rest is never read, so a receiver that
   * streams gigabytes costs the hub this much. The excerpt kept with the attempt is cut from it.
   */
  static final int MAX_ANSWER_BYTES = 4096;

  /** How much of an answer's body is kept with the attempt, for the admins. */
  static final int EXCERPT_CHARS = 500;

  /**
   * The outcome of one attempt: the HTTP status (0 when none came) or the error, and an excerpt.
   */
  public record Attempt(WebhookOutcome outcome, int status, String error, String excerpt) {}

  private final HttpClient http;
  private final Clock clock;

  public WebhookClient(Duration connectTimeout, Clock clock) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.clock = clock;
  }

  public Attempt send(
      URI url, byte[] secret, String deliveryId, String messageId, byte[] body, Duration timeout) {
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("X-Hub-Delivery-Id", deliveryId)
            .header("X-Hub-Message-Id", messageId)
            .header("X-Hub-Timestamp", Long.toString(timestamp))
            .header("X-Hub-Signature", WebhookSignature.sign(secret, timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    // The request timeout ends at the answer's headers; the deadline on the future covers the
    // whole exchange, so a receiver trickling its body cannot hold a worker either.
    CompletableFuture<HttpResponse<String>> exchange =
        http.sendAsync(request, answer -> new FirstBytes(MAX_ANSWER_BYTES));
    try {
      HttpResponse<String> response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Attempt(
          WebhookOutcome.ofStatus(response.statusCode()),
          response.statusCode(),
          null,
          excerpt(response.body()));
    } catch (TimeoutException e) {
      exchange.cancel(true);
      return new Attempt(WebhookOutcome.RETRY, 0, "timeout after " + timeout, null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        return new Attempt(WebhookOutcome.RETRY, 0, "timeout after " + timeout, null);
      }
      // A refused or reset connection: the agency is down or restarting.
      return new Attempt(
          WebhookOutcome.RETRY,
          0,
          cause.getClass().getSimpleName() + ": " + cause.getMessage(),
          null);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      return new Attempt(WebhookOutcome.RETRY, 0, "interrupted", null);
    }
  }

  /**
   * Collects at most {@code limit} bytes of an answer's body, then cancels the subscription: the
   * HTTP client stops reading and closes the connection instead of buffering the rest.
   */
  static final class FirstBytes implements HttpResponse.BodySubscriber<String> {

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    FirstBytes(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        int take = Math.min(buffer.remaining(), limit - bytes.size());
        byte[] chunk = new byte[take];
        buffer.get(chunk);
        bytes.write(chunk, 0, take);
      }
      if (bytes.size() >= limit) {
        subscription.cancel();
        complete();
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable failure) {
      body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      complete();
    }

    private void complete() {
      // A multi-byte character cut at the limit decodes as a replacement character.
      body.complete(bytes.toString(StandardCharsets.UTF_8));
    }
  }

  private static String excerpt(String body) {
    if (body == null) {
      return null;
    }
    return body.length() <= EXCERPT_CHARS ? body : body.substring(0, EXCERPT_CHARS);
  }
}
