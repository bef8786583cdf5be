package cn.gov.honghu.hub.audit;

import cn.gov.honghu.hub.crypto.BouncyCastle;
import cn.gov.honghu.hub.crypto.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hash of a chain entry (HUB-SPEC section 11): hex SHA-256, or SM3 under {@code
 * hub.crypto.profile: sm}, over the previous entry's hash followed by the entry's canonical JSON
 * (section 6) without its own hash.
 */
public final class ChainHash {

  private static final JsonMapper JSON = JsonMapper.builder().build();

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

  /** The entry's canonical JSON without {@code hash}; null fields are written as null. */
  static String canonical(ChainedEntry entry) {
    ObjectNode node = JSON.createObjectNode();
    node.put("seq", entry.seq());
    node.put("at", entry.at().toString());
    node.put("kind", entry.kind());
    node.put("actor", entry.actor());
    node.put("messageId", entry.messageId());
    node.put("caseNumber", entry.caseNumber());
    node.put("agency", entry.agency());
    node.put("detail", entry.detail());
    node.put("prevHash", entry.prevHash());
    return CanonicalJson.canonical(node);
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
