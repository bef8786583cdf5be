package cn.gov.honghu.connectors.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Sends one delivery to an agency's URL with the headers of HUB-SPEC section 4 and classifies the
 * answer. One attempt per call; the caller decides about retries.
 */
public final class WebhookClient {

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
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Attempt(
          WebhookOutcome.ofStatus(response.statusCode()),
          response.statusCode(),
          null,
          excerpt(response.body()));
    } catch (HttpTimeoutException e) {
      return new Attempt(WebhookOutcome.RETRY, 0, "timeout after " + timeout, null);
    } catch (IOException e) {
      // A refused or reset connection: the agency is down or restarting.
      return new Attempt(
          WebhookOutcome.RETRY, 0, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(WebhookOutcome.RETRY, 0, "interrupted", null);
    }
  }

  private static String excerpt(String body) {
    if (body == null) {
      return null;
    }
    return body.length() <= EXCERPT_CHARS ? body : body.substring(0, EXCERPT_CHARS);
  }
}
