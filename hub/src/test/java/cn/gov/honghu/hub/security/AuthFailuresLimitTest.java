package cn.gov.honghu.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.support.HubClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Failed authentications per source address (HUB-SPEC section 11, "Credentials"): more than {@code
 * hub.security.max-auth-failures-per-minute} from one address, and the address gets 429 until the
 * minute ends, even with a good key. Every test calls from 127.0.0.1, so the shared test deployment
 * sets the limit out of reach (application-test.yml); this test starts a hub of its own with a
 * limit of 3, and stops it afterwards.
 */
class AuthFailuresLimitTest {

  private static final int LIMIT = 3;
  private static final String UNAUTHORIZED = "urn:hub:problem:unauthorized";
  private static final String RATE_LIMITED = "urn:hub:problem:rate-limited";

  @TempDir Path dataDir;

  @Test
  void shouldRefuseAnAddressWith429UntilTheMinuteEndsWhenItFailedTooOften() throws Exception {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(HubApplication.class)
            .profiles("test")
            // Command-line arguments: they win over application-test.yml.
            .run(
                "--server.port=0",
                "--hub.data-dir=" + dataDir,
                "--hub.security.max-auth-failures-per-minute=" + LIMIT)) {
      HubClient hub =
          new HubClient(((WebServerApplicationContext) context).getWebServer().getPort());
      Clock clock = context.getBean(Clock.class);
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      long before = lastAuditSeq(jdbc);
      // given: not in the last seconds of a minute, so that all of this happens within one
      await().atMost(Duration.ofSeconds(15)).until(() -> clock.millis() / 1000 % 60 <= 50);
      // and the limit's worth of failures: each one a 401
      for (int i = 0; i < LIMIT; i++) {
        assertProblem(hub.exchangeGet("/api/v1/inbox", "wrong-key-" + i), 401, UNAUTHORIZED);
      }
      assertThat(hub.exchangeGet("/api/v1/inbox", HubClient.key("police")).statusCode())
          .as("a good key while at the limit")
          .isEqualTo(200);

      // when: one more failure, then the right keys from the same address
      assertProblem(hub.exchangeGet("/api/v1/inbox", "wrong-key-last"), 401, UNAUTHORIZED);
      HttpResponse<String> goodAgencyKey =
          hub.exchangeGet("/api/v1/inbox", HubClient.key("police"));
      HttpResponse<String> goodAdminKey = hub.exchangeGet("/admin/v1/stats", "ops-test-key");
      HttpResponse<String> post =
          hub.exchange(
              "/api/v1/messages",
              Map.of("Authorization", "Bearer " + HubClient.key("agriculture")),
              "{}".getBytes());

      // then: 429 for the rest of the minute, with the seconds left in it
      long secondsLeft = 60 - clock.millis() / 1000 % 60;
      for (HttpResponse<String> refused : new HttpResponse[] {goodAgencyKey, goodAdminKey, post}) {
        assertProblem(refused, 429, RATE_LIMITED);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L).isBetween(secondsLeft - 2, secondsLeft + 2);
      }
      // and every failure up to the limit is audited, the refusals after it are not: an address
      // cannot flood the audit chain (at most limit + 1 entries a minute)
      assertThat(
              jdbc.queryForObject(
                  "SELECT count(*) FROM audit_entry WHERE seq > ? AND kind = 'AUTH_FAILED'"
                      + " AND detail LIKE 'source=127.0.0.1 %'",
                  Long.class, before))
          .isEqualTo(LIMIT + 1);
      // and endpoints without a key are not affected
      assertThat(hub.get(null, "/actuator/health").status()).isEqualTo(200);
    }
  }

  private static long lastAuditSeq(JdbcTemplate jdbc) {
    return jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM audit_entry", Long.class);
  }

  private static void assertProblem(HttpResponse<String> answer, int status, String type) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = HubClient.JSON.readTree(answer.body());
    assertThat(problem.path("type").asString()).isEqualTo(type);
  }
}
