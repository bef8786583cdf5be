package cn.gov.honghu.connectors.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Hub-Signature} (HUB-SPEC section 4): {@code sha256=} and the lowercase hex of
 * HMAC-SHA256, keyed with the agency's secret, over the bytes of {@code <timestamp>.<body>}, where
 * the timestamp is {@code X-Hub-Timestamp} (Unix epoch seconds). Receivers use {@link #verify} and
 * reject timestamps older than five minutes, so a captured request cannot be replayed later.
 */
public final class WebhookSignature {

  public static final String PREFIX = "sha256=";

  /** How old a timestamp a receiver accepts. */
  public static final Duration MAX_AGE = Duration.ofMinutes(5);

  private WebhookSignature() {}

  /** The header value for this body sent at {@code epochSeconds}. */
  public static String sign(byte[] secret, long epochSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /**
   * Whether a received request is authentic and fresh: the signature matches (compared in constant
   * time) and the timestamp is at most {@link #MAX_AGE} old (and not more than that ahead).
   */
  public static boolean verify(
      byte[] secret, String timestampHeader, String signatureHeader, byte[] body, Instant now) {
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.strip());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - timestamp) > MAX_AGE.toSeconds()) {
      return false;
    }
    byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(
        expected, signatureHeader.strip().getBytes(StandardCharsets.US_ASCII));
  }
}
