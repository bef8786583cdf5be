package cn.gov.honghu.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final byte[] SECRET = "demo-webhook-secret".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BODY = "{\"deliveryId\":\"d-1\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void shouldSignTimestampDotBodyWithHmacSha256InLowercaseHex() {
    // computed independently (Python hmac): hmac.new(b"demo-webhook-secret",
    //   b'1767225600.{"deliveryId":"d-1"}', hashlib.sha256).hexdigest()
    assertThat(WebhookSignature.sign(SECRET, 1767225600L, BODY))
        .isEqualTo("sha256=e79a78e97c956e843ac529c6b34559cfcfa522b38ef6807c425ed353e2818ea0");
  }

  @Test
  void shouldVerifyAFreshAuthenticRequestAndRejectTamperedStaleOrMissingOnes() {
    Instant now = Instant.ofEpochSecond(1767225600L);
    String signature = WebhookSignature.sign(SECRET, now.getEpochSecond(), BODY);
    String timestamp = Long.toString(now.getEpochSecond());

    assertThat(WebhookSignature.verify(SECRET, timestamp, signature, BODY, now)).isTrue();
    assertThat(WebhookSignature.verify(SECRET, timestamp, signature, BODY, now.plusSeconds(300)))
        .isTrue();
    assertThat(WebhookSignature.verify(SECRET, timestamp, signature, BODY, now.plusSeconds(301)))
        .isFalse();
    byte[] tampered = "{\"deliveryId\":\"d-2\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(WebhookSignature.verify(SECRET, timestamp, signature, tampered, now)).isFalse();
    assertThat(
            WebhookSignature.verify(
                "other".getBytes(StandardCharsets.UTF_8), timestamp, signature, BODY, now))
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, null, signature, BODY, now)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, "yesterday", signature, BODY, now)).isFalse();
  }

  @Test
  void shouldClassifyAnswersAsTheSpecSays() {
    assertThat(WebhookOutcome.ofStatus(200)).isEqualTo(WebhookOutcome.DELIVERED);
    assertThat(WebhookOutcome.ofStatus(204)).isEqualTo(WebhookOutcome.DELIVERED);
    assertThat(WebhookOutcome.ofStatus(408)).isEqualTo(WebhookOutcome.RETRY);
    assertThat(WebhookOutcome.ofStatus(429)).isEqualTo(WebhookOutcome.RETRY);
    assertThat(WebhookOutcome.ofStatus(500)).isEqualTo(WebhookOutcome.RETRY);
    assertThat(WebhookOutcome.ofStatus(503)).isEqualTo(WebhookOutcome.RETRY);
    assertThat(WebhookOutcome.ofStatus(400)).isEqualTo(WebhookOutcome.REFUSED);
    assertThat(WebhookOutcome.ofStatus(404)).isEqualTo(WebhookOutcome.REFUSED);
    assertThat(WebhookOutcome.ofStatus(301)).isEqualTo(WebhookOutcome.REFUSED);
  }

  @Test
  void shouldDoubleTheDelayUpToTheMaximumWithJitterOfAtMostHalf() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), new Random(7));
    for (int run = 0; run < 200; run++) {
      assertThat(backoff.after(1).toMillis()).isBetween(500L, 1000L);
      assertThat(backoff.after(2).toMillis()).isBetween(1000L, 2000L);
      assertThat(backoff.after(4).toMillis()).isBetween(4000L, 8000L);
      assertThat(backoff.after(30).toMillis()).isBetween(300_000L, 600_000L);
      assertThat(backoff.after(1000).toMillis()).isBetween(300_000L, 600_000L);
    }
  }

  @Test
  void shouldKeepTheJitterAtTheMaximum() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), new Random(7));
    Set<Duration> waits = new HashSet<>();
    for (int run = 0; run < 20; run++) {
      waits.add(backoff.after(30));
    }
    assertThat(waits).hasSizeGreaterThan(1);
  }
}
