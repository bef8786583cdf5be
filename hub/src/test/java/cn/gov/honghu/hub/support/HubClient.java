package cn.gov.honghu.hub.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the hub's API, as an agency system would use it. */
public final class HubClient {

  public static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  /**
   * An HTTP answer with its body parsed as JSON (null when empty or not JSON) and its Retry-After
   * header (null when absent).
   */
  public record Answer(
      int status, String contentType, String text, JsonNode json, String retryAfter) {

    public Answer(int status, String contentType, String text, JsonNode json) {
      this(status, contentType, text, json, null);
    }

    public JsonNode get(String field) {
      return json == null ? null : json.get(field);
    }
  }

  public HubClient(int port) {
    this("http://127.0.0.1:" + port);
  }

  public HubClient(String base) {
    this.base = base;
  }

  /** The API key of an agency in the test deployment. */
  public static String key(String agency) {
    return agency + "-test-key";
  }

  public Answer post(String agency, JsonNode message) {
    return postRaw(
        agency,
        "application/json",
        JSON.writeValueAsString(message).getBytes(StandardCharsets.UTF_8));
  }

  public Answer post(String agency, String path, JsonNode body) {
    return send(
        request(path, agency == null ? null : key(agency))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build());
  }

  public Answer postRaw(String agency, String contentType, byte[] body) {
    HttpRequest.Builder request = request("/api/v1/messages", agency == null ? null : key(agency));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  public Answer postWithKey(String apiKey, String path, String contentType, byte[] body) {
    HttpRequest.Builder request = request(path, apiKey);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  public Answer get(String agency, String path) {
    return send(request(path, agency == null ? null : key(agency)).GET().build());
  }

  public Answer getWithKey(String apiKey, String path) {
    return send(request(path, apiKey).GET().build());
  }

  /** Any method with the key (none when null) and a body (none when null). */
  public Answer send(String method, String path, String apiKey, String contentType, byte[] body) {
    HttpRequest.Builder request = request(path, apiKey);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(
        request
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  /** A POST with exactly the given headers (none added), e.g. a custom Authorization. */
  public Answer postWithHeaders(String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** A message POST without Content-Length (chunked), so the hub learns the size by reading. */
  public Answer postChunked(String agency, String contentType, byte[] body) {
    HttpRequest.Builder request = request("/api/v1/messages", agency == null ? null : key(agency));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(
        request
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build());
  }

  /** A POST of raw bytes to any path with an agency's key. */
  public Answer postRaw(String agency, String path, String contentType, byte[] body) {
    return postWithKey(agency == null ? null : key(agency), path, contentType, body);
  }

  /**
   * The plain HTTP response of a POST with exactly the given headers, response headers included.
   */
  public HttpResponse<String> exchange(String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    return exchange(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** The plain HTTP response of a GET with the key, response headers included. */
  public HttpResponse<String> exchangeGet(String path, String apiKey) {
    return exchange(request(path, apiKey).GET().build());
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("HTTP call failed: " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpRequest.Builder request(String path, String apiKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return request;
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      String text = response.body();
      JsonNode json = null;
      if (text != null && !text.isBlank()) {
        try {
          json = JSON.readTree(text);
        } catch (RuntimeException notJson) {
          json = null;
        }
      }
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null),
          text,
          json,
          response.headers().firstValue("Retry-After").orElse(null));
    } catch (IOException e) {
      throw new IllegalStateException("HTTP call failed: " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
