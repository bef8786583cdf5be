package cn.gov.honghu.hub.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.HubProcess;
import cn.gov.honghu.hub.support.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HUB-SPEC section 10, "hostile traffic never takes the hub down", against the packaged hub as
 * users run it ({@code -Xmx256m}, {@code -XX:+ExitOnOutOfMemoryError}, embedded defaults): huge
 * bodies with and without a key, a slow-loris crowd, and an inbox of large messages. After each,
 * the same process (it would have exited on an OutOfMemoryError) is healthy and accepts a message.
 */
class HostileTrafficIT {

  private static final long HUGE = 60L * 1024 * 1024;

  @TempDir static Path dataDir;
  private static HubProcess hub;
  private static Properties keys;
  private static HubClient client;
  private static List<String> postPaths;

  @BeforeAll
  static void start() throws Exception {
    hub =
        new HubProcess(dataDir)
            .withArgs(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), List.of())
            .start();
    keys = hub.devKeys();
    client = new HubClient(hub.baseUrl());
    postPaths = postPathsOfTheOpenApiDocument();
  }

  @AfterAll
  static void stop() throws Exception {
    hub.close();
  }

  @Test
  void shouldRefuseHugeBodiesWithoutACredentialBeforeReadingThem() throws Exception {
    // when: 16 concurrent 60 MB bodies without Authorization, over every POST endpoint
    Map<Integer, Integer> answers = flood(null);

    // then: 401 (or the connection closed once the hub answered), never anything else
    assertThat(answers.keySet()).as("statuses (0: connection closed)").isSubsetOf(0, 401);
    assertStillServing();
  }

  @Test
  void shouldRefuseHugeBodiesFromAnAgencyAs413() throws Exception {
    // when: the same with a valid agency key
    Map<Integer, Integer> answers = flood(keys.getProperty("agriculture"));

    // then: 413 on the agency's endpoints, 403 on the admin ones (the key is not an admin's), or
    // 404 from an endpoint that takes no body for the placeholder id ("x") in its path: it answers
    // without reading the body (which of the two a chunked body gets is a race)
    assertThat(answers.keySet()).as("statuses (0: connection closed)").isSubsetOf(0, 403, 404, 413);
    assertThat(answers).containsKey(413);
    assertThat(notFoundPaths)
        .as("only a path with a placeholder id answers 404")
        .allMatch(path -> path.contains("/x/"));
    assertStillServing();
  }

  @Test
  void shouldServeAnAgencyWhile300ConnectionsTrickleTheirHeaders() throws Exception {
    // given: 300 connections, each sending a request line and then a header byte now and then
    List<Socket> loris = new ArrayList<>();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < 300; i++) {
        Socket socket = new Socket("127.0.0.1", hub.port());
        socket
            .getOutputStream()
            .write(
                "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.UTF_8));
        loris.add(socket);
      }
      // one more header byte on every connection every 500 ms
      trickle.scheduleAtFixedRate(
          () -> {
            for (Socket socket : loris) {
              try {
                socket.getOutputStream().write('X');
              } catch (IOException closedByTheHub) {
                // the hub may drop a slow connection: that is what it should do
              }
            }
          },
          0,
          500,
          TimeUnit.MILLISECONDS);

      // when: an agency posts in the middle of it
      Answer answer = post("agriculture", transfer());

      // then
      assertThat(answer.status()).isEqualTo(202);
    } finally {
      trickle.shutdownNow();
      for (Socket socket : loris) {
        socket.close();
      }
    }
    assertStillServing();
  }

  @Test
  void shouldHandOutAnInboxOfLargeMessagesInSeveralPullsWithinTheHeap() throws Exception {
    // given: 100 messages of about 900 KiB each for the court (a REVERSE_TRANSFER from water)
    String padding = "x".repeat(900 * 1024);
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ObjectNode message =
          Messages.of("REVERSE_TRANSFER", "court", Messages.newCaseNumber(), "water");
      message.put("notes", padding);
      Answer accepted = post("court", message);
      assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
      sent.add(message.get("messageId").asString());
    }

    // when: water pulls with the largest limit and acknowledges, until its inbox is empty
    Set<String> received = new HashSet<>();
    int pulls = 0;
    while (true) {
      Answer inbox = client.getWithKey(keys.getProperty("water"), "/api/v1/inbox?limit=500");
      assertThat(inbox.status()).isEqualTo(200);
      JsonNode deliveries = inbox.get("deliveries");
      if (deliveries.isEmpty()) {
        break;
      }
      pulls++;
      assertThat(inbox.text().length()).as("one pull").isLessThan(9 * 1024 * 1024 + 100_000);
      ObjectNode ack = HubClient.JSON.createObjectNode();
      var ids = ack.putArray("deliveryIds");
      deliveries.forEach(
          d -> {
            received.add(d.get("messageId").asString());
            ids.add(d.get("deliveryId").asString());
          });
      assertThat(postJson("water", "/api/v1/inbox/ack", ack).status()).isEqualTo(200);
    }

    // then: everything arrived, in pulls of at most 8 MiB
    assertThat(received).containsAll(sent);
    assertThat(pulls).isGreaterThanOrEqualTo(12);
    assertStillServing();
  }

  /** 16 concurrent posts of 60 MB, half chunked, half with Content-Length, over every path. */
  /** The paths of the last {@link #flood} that answered 404. */
  private static final Set<String> notFoundPaths = ConcurrentHashMap.newKeySet();

  private static Map<Integer, Integer> flood(String key) throws Exception {
    notFoundPaths.clear();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ExecutorService posters = Executors.newFixedThreadPool(16);
    Map<Integer, Integer> answers = new ConcurrentHashMap<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String path = postPaths.get(i % postPaths.size());
        boolean chunked = i % 2 == 0;
        done.add(
            posters.submit(
                () -> {
                  HttpRequest.Builder request =
                      HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                          .timeout(Duration.ofSeconds(60))
                          .header("Content-Type", "application/json");
                  if (key != null) {
                    request.header("Authorization", "Bearer " + key);
                  }
                  HttpRequest.BodyPublisher body =
                      HttpRequest.BodyPublishers.ofInputStream(() -> new HugeJson(HUGE));
                  request.POST(
                      chunked ? body : HttpRequest.BodyPublishers.fromPublisher(body, HUGE));
                  int status;
                  try {
                    status =
                        http.send(request.build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode();
                  } catch (IOException closed) {
                    status = 0;
                  }
                  answers.merge(status, 1, Integer::sum);
                  if (status == 404) {
                    notFoundPaths.add(path);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      posters.shutdownNow();
    }
    return answers;
  }

  private static void assertStillServing() {
    Answer health = client.getWithKey(null, "/actuator/health");
    assertThat(health.status()).as("health").isEqualTo(200);
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(post("agriculture", transfer()).status()).isEqualTo(202);
  }

  private static ObjectNode transfer() {
    return Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
  }

  private static Answer post(String agency, ObjectNode message) {
    return postJson(agency, "/api/v1/messages", message);
  }

  private static Answer postJson(String agency, String path, JsonNode body) {
    return client.postWithKey(
        keys.getProperty(agency),
        path,
        "application/json",
        HubClient.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
  }

  /** Every POST operation of the hub's OpenAPI document, path variables filled in. */
  private static List<String> postPathsOfTheOpenApiDocument() {
    JsonNode paths = client.getWithKey(null, "/v3/api-docs").get("paths");
    List<String> posts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      if (path.getValue().has("post")) {
        posts.add(path.getKey().replaceAll("\\{[^}]+}", "x"));
      }
    }
    assertThat(posts).contains("/api/v1/messages", "/api/v1/inbox/ack");
    return posts;
  }

  /** {@code {"deliveryIds":["aaaa...", ...]}} of the given length, generated as it is read. */
  private static final class HugeJson extends InputStream {

    private static final byte[] HEAD = "{\"deliveryIds\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ITEM =
        "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",".getBytes(StandardCharsets.UTF_8);
    private final long length;
    private long position;

    HugeJson(long length) {
      this.length = length;
    }

    @Override
    public int read() {
      if (position >= length) {
        return -1;
      }
      long at = position++;
      if (at < HEAD.length) {
        return HEAD[(int) at];
      }
      return ITEM[(int) ((at - HEAD.length) % ITEM.length)];
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(count, length - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = (byte) read();
      }
      return n;
    }
  }
}
