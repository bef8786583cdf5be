package cn.gov.honghu.hub.support;

import cn.gov.honghu.connectors.webhook.WebhookSignature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;

/**
 * A real HTTP receiver for webhook tests (the JDK's HTTP server on a free port): one path per
 * agency, a programmable answer per agency, every request recorded with whether its signature
 * verified with the agency's secret.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** How an agency's receiver answers a request; may block (a slow or hanging receiver). */
  @FunctionalInterface
  public interface Answer {
    int status(JsonNode delivery) throws Exception;
  }

  /** One received request. */
  public record Received(
      String agency,
      String deliveryId,
      String messageId,
      JsonNode body,
      int status,
      boolean signatureValid) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void answer(String agency, Answer answer) {
    answers.put(agency, answer);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The requests for one delivery, in arrival order. */
  public List<Received> of(String deliveryId) {
    return received.stream().filter(r -> deliveryId.equals(r.deliveryId())).toList();
  }

  /** How many times a delivery was answered with 2xx. */
  public long deliveredCount(String deliveryId) {
    return of(deliveryId).stream().filter(r -> r.status() / 100 == 2).count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String agency = exchange.getRequestURI().getPath().substring(1);
    byte[] body = exchange.getRequestBody().readAllBytes();
    JsonNode delivery = HubClient.JSON.readTree(body);
    boolean valid =
        WebhookSignature.verify(
            (agency + "-webhook-secret").getBytes(StandardCharsets.UTF_8),
            exchange.getRequestHeaders().getFirst("X-Hub-Timestamp"),
            exchange.getRequestHeaders().getFirst("X-Hub-Signature"),
            body,
            Instant.now());
    int status;
    try {
      status = answers.getOrDefault(agency, d -> 200).status(delivery);
    } catch (Exception e) {
      status = 500;
    }
    received.add(
        new Received(
            agency,
            exchange.getRequestHeaders().getFirst("X-Hub-Delivery-Id"),
            exchange.getRequestHeaders().getFirst("X-Hub-Message-Id"),
            delivery,
            status,
            valid));
    byte[] answer = ("{\"answer\":" + status + "}").getBytes(StandardCharsets.UTF_8);
    try {
      exchange.sendResponseHeaders(status, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    } catch (IOException gone) {
      // The hub timed out and closed the connection: that is the point of a slow receiver.
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
