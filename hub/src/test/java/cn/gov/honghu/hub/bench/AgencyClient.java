package cn.gov.honghu.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One agency's system talking to the hub over HTTP/1.1 with its own JDK {@link HttpClient} (its own
 * connection pool), as a separate agency system would: posts messages, pulls its inbox and
 * acknowledges in batches.
 */
final class AgencyClient {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpResponse.BodyHandler<byte[]> BYTES =
      HttpResponse.BodyHandlers.ofByteArray();

  /** The answer to a post: its status and, for a 202, the receipt's recipients. */
  record PostAnswer(int status, List<String> recipients) {}

  /** One pulled inbox item, reduced to what the benchmark checks. */
  record Delivery(String deliveryId, String messageId) {}

  final String code;
  private final String authorization;
  private final HttpClient http;
  private final URI messages;
  private final URI inbox;
  private final URI ack;

  AgencyClient(String baseUrl, String code, String apiKey, int pullLimit) {
    this.code = code;
    this.authorization = "Bearer " + apiKey;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.messages = URI.create(baseUrl + "/api/v1/messages");
    this.inbox = URI.create(baseUrl + "/api/v1/inbox?limit=" + pullLimit);
    this.ack = URI.create(baseUrl + "/api/v1/inbox/ack");
  }

  /**
   * 429 answers (HUB-SPEC section 11: over the agency's rate or requests in flight) that this
   * client waited out and sent again, as a well-behaved agency system does: a figure, not a
   * failure.
   */
  static final AtomicLong RATE_LIMITED = new AtomicLong();

  PostAnswer post(byte[] body) throws IOException, InterruptedException {
    return answer(sendHonouringRetryAfter(postRequest(body)));
  }

  CompletableFuture<PostAnswer> postAsync(byte[] body) {
    return sendAsyncHonouringRetryAfter(postRequest(body)).thenApply(AgencyClient::answer);
  }

  private HttpResponse<byte[]> sendHonouringRetryAfter(HttpRequest request)
      throws IOException, InterruptedException {
    try {
      return sendAsyncHonouringRetryAfter(request).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  private CompletableFuture<HttpResponse<byte[]>> sendAsyncHonouringRetryAfter(
      HttpRequest request) {
    return http.sendAsync(request, BYTES)
        .thenCompose(
            response -> {
              if (response.statusCode() != 429) {
                return CompletableFuture.completedFuture(response);
              }
              RATE_LIMITED.incrementAndGet();
              Executor later =
                  CompletableFuture.delayedExecutor(
                      retryAfterMillis(response), TimeUnit.MILLISECONDS);
              return CompletableFuture.supplyAsync(() -> request, later)
                  .thenCompose(this::sendAsyncHonouringRetryAfter);
            });
  }

  private static long retryAfterMillis(HttpResponse<?> response) {
    return 1000L * response.headers().firstValueAsLong("Retry-After").orElse(1);
  }

  /** {@code GET /api/v1/inbox?limit=N}: the deliveries handed out. */
  List<Delivery> pull() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(inbox)
            .timeout(TIMEOUT)
            .header("Authorization", authorization)
            .GET()
            .build();
    HttpResponse<byte[]> response = sendHonouringRetryAfter(request);
    if (response.statusCode() != 200) {
      throw new IOException("inbox pull by " + code + " answered " + response.statusCode());
    }
    return deliveries(response.body());
  }

  /** {@code POST /api/v1/inbox/ack}: returns the ids the hub acknowledged. */
  List<String> acknowledge(List<String> deliveryIds) throws IOException, InterruptedException {
    StringBuilder body =
        new StringBuilder(deliveryIds.size() * 40 + 20).append("{\"deliveryIds\":[");
    for (int i = 0; i < deliveryIds.size(); i++) {
      body.append(i == 0 ? "\"" : ",\"").append(deliveryIds.get(i)).append('"');
    }
    body.append("]}");
    HttpRequest request =
        HttpRequest.newBuilder(ack)
            .timeout(TIMEOUT)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<byte[]> response = sendHonouringRetryAfter(request);
    if (response.statusCode() != 200) {
      throw new IOException("batch ack by " + code + " answered " + response.statusCode());
    }
    List<String> acknowledged = new ArrayList<>(deliveryIds.size());
    JsonNode ids = JSON.readTree(response.body()).get("acknowledged");
    if (ids != null) {
      ids.forEach(id -> acknowledged.add(id.asString()));
    }
    return acknowledged;
  }

  private HttpRequest postRequest(byte[] body) {
    return HttpRequest.newBuilder(messages)
        .timeout(TIMEOUT)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static PostAnswer answer(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status != 202) {
      return new PostAnswer(status, List.of());
    }
    List<String> recipients = new ArrayList<>(4);
    JsonNode list = JSON.readTree(response.body()).get("recipients");
    if (list != null) {
      list.forEach(r -> recipients.add(r.asString()));
    }
    return new PostAnswer(status, recipients);
  }

  /** Reads deliveryId and messageId of each item, skipping the (large) envelopes unparsed. */
  static List<Delivery> deliveries(byte[] body) {
    List<Delivery> items = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException("inbox answer is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!"deliveries".equals(field) || value != JsonToken.START_ARRAY) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          String deliveryId = null;
          String messageId = null;
          while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (token == JsonToken.VALUE_STRING && "deliveryId".equals(name)) {
              deliveryId = parser.getString();
            } else if (token == JsonToken.VALUE_STRING && "messageId".equals(name)) {
              messageId = parser.getString();
            } else {
              parser.skipChildren();
            }
          }
          items.add(new Delivery(deliveryId, messageId));
        }
      }
    }
    return items;
  }
}
