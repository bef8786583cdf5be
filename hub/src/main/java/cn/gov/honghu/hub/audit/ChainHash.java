package cn.gov.honghu.hub.audit;

import cn.gov.honghu.hub.crypto.BouncyCastle;
import cn.gov.honghu.hub.crypto.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash of a chain entry (HUB-SPEC section 11): hex SHA-256, or SM3 under {@code
 * hub.crypto.profile: sm}, over the previous entry's hash followed by the entry's canonical JSON
 * (section 6) without its own hash.
 */
public final class ChainHash {

  private final String algorithm;
  private final boolean sm;

  public ChainHash(boolean sm) {
    this.sm = sm;
    this.algorithm = sm ? "SM3" : "SHA-256";
  }

  public String algorithm() {
    return algorithm;
  }

  public String hash(ChainedEntry entry) {
    return hex(entry.prevHash() + canonical(entry));
  }

  /** The hex digest of the text's UTF-8 bytes. */
  String hex(String text) {
    return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The entry's canonical JSON without {@code hash}: keys sorted, no whitespace, null fields as
   * {@code null}, {@code seq} as a plain integer (not the dedup form's {@code 1E+1} for 10),
   * strings with only {@code "}, {@code \\} and control characters escaped (as {@code \\u00XX}).
   * Written here rather than by the dedup canonicaliser so an auditor can rebuild it with any JSON
   * tool.
   */
  static String canonical(ChainedEntry entry) {
    return "{\"actor\":"
        + text(entry.actor())
        + ",\"agency\":"
        + text(entry.agency())
        + ",\"at\":"
        + text(entry.at().toString())
        + ",\"caseNumber\":"
        + text(entry.caseNumber())
        + ",\"detail\":"
        + text(entry.detail())
        + ",\"kind\":"
        + text(entry.kind())
        + ",\"messageId\":"
        + text(entry.messageId())
        + ",\"prevHash\":"
        + text(entry.prevHash())
        + ",\"seq\":"
        + entry.seq()
        + "}";
  }

  private static String text(String value) {
    return value == null ? "null" : CanonicalJson.quote(value);
  }

  private MessageDigest digest() {
    try {
      return sm
          ? MessageDigest.getInstance(algorithm, BouncyCastle.PROVIDER)
          : MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }
}
