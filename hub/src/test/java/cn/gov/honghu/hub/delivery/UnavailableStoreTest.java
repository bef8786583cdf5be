package cn.gov.honghu.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import cn.gov.honghu.hub.support.TcpProxy;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * Back-pressure: while the broker or the database is unreachable, ingest answers 503 with
 * Retry-After and stores nothing; when it is back, messages flow again without a restart.
 */
class UnavailableStoreTest {

  @TempDir Path dataDir;

  private ConfigurableApplicationContext start(String... extra) {
    String[] args = new String[extra.length + 3];
    args[0] = "--server.port=0";
    args[1] = "--hub.data-dir=" + dataDir;
    args[2] = "--hub.broker.availability-check-interval=PT0.2S";
    System.arraycopy(extra, 0, args, 3, extra.length);
    return new SpringApplicationBuilder(HubApplication.class).profiles("test").run(args);
  }

  private static HubClient client(ConfigurableApplicationContext context) {
    return new HubClient(((WebServerApplicationContext) context).getWebServer().getPort());
  }

  private static HttpResponse<String> post(HubClient hub, ObjectNode message) {
    return hub.exchange(
        "/api/v1/messages",
        Map.of(
            "Authorization",
            "Bearer " + HubClient.key("agriculture"),
            "Content-Type",
            "application/json"),
        HubClient.JSON.writeValueAsString(message).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldAnswer503AndStoreNothingWhileTheBrokerIsStoppedAndRecoverWithoutRestart()
      throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      HubClient hub = client(context);
      EmbeddedActiveMQ broker = context.getBean(EmbeddedActiveMQ.class);
      BrokerAvailability availability = context.getBean(BrokerAvailability.class);
      ObjectNode transfer =
          Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);

      // given: the broker stops
      broker.stop();
      await().atMost(Duration.ofSeconds(60)).until(() -> !availability.isAvailable());

      // when
      HttpResponse<String> refused = post(hub, transfer);

      // then: a clean 503 with Retry-After, and nothing of the message stored
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(refused.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      String id = transfer.get("messageId").asString();
      assertThat(hub.get("agriculture", "/api/v1/messages/" + id).status()).isEqualTo(404);

      // and when the broker is back, the same message is accepted, without a restart of the hub
      broker.start();
      await().atMost(Duration.ofSeconds(60)).until(availability::isAvailable);
      assertThat(post(hub, transfer).statusCode()).isEqualTo(202);
    }
  }

  @Test
  void shouldAnswer503AndStoreNothingWhilePostgresRefusesConnectionsAndRecoverWithoutRestart()
      throws Exception {
    URI target = URI.create(postgresUrl().substring("jdbc:".length()));
    requireReachable(target);
    try (TcpProxy database = new TcpProxy(target.getHost(), target.getPort()).start();
        ConfigurableApplicationContext context =
            start(
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:"
                    + database.port()
                    + target.getPath(),
                "--spring.datasource.username=" + postgresUser(),
                "--spring.datasource.hikari.connection-timeout=1000")) {
      HubClient hub = client(context);
      ObjectNode transfer =
          Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);

      // given: PostgreSQL refuses connections
      database.stop();

      // when
      HttpResponse<String> refused = post(hub, transfer);

      // then
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();

      // and when it is back: the message was not stored (404), and posting it again is a 202
      database.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  hub.get("agriculture", "/api/v1/messages/" + transfer.get("messageId").asString())
                          .status()
                      == 404);
      Answer accepted = hub.post("agriculture", transfer);
      assertThat(accepted.status()).isEqualTo(202);
    }
  }

  /** The PostgreSQL of .ci/run, used in CI when HUB_TEST_DB_URL does not name one. */
  private static final String CI_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

  private static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * The PostgreSQL to test against: HUB_TEST_DB_URL when it names one; in CI (CI=true) otherwise
   * the CI's database (the embedded phase of .ci/run runs this class too). Outside CI without
   * PostgreSQL the test is skipped, never in CI.
   */
  private static String postgresUrl() {
    String url = System.getenv("HUB_TEST_DB_URL");
    if (url != null && url.startsWith("jdbc:postgresql:")) {
      return url;
    }
    if (inCi()) {
      return CI_POSTGRES;
    }
    Assumptions.abort(
        "needs PostgreSQL: set HUB_TEST_DB_URL=jdbc:postgresql://... (required when CI=true)");
    throw new IllegalStateException("unreachable");
  }

  private static String postgresUser() {
    String user = System.getenv("HUB_TEST_DB_USER");
    return user == null || user.isBlank() ? "postgres" : user;
  }

  /** Fails in CI, skips elsewhere, when nothing listens at the database's address. */
  private static void requireReachable(URI target) {
    int port = target.getPort() == -1 ? 5432 : target.getPort();
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(target.getHost(), port), 2_000);
    } catch (java.io.IOException e) {
      String why = "PostgreSQL at " + target.getHost() + ":" + port + " is unreachable: " + e;
      if (inCi()) {
        throw new AssertionError("CI=true, so this test must run, but " + why);
      }
      Assumptions.abort(why);
    }
  }
}
