package cn.gov.honghu.hub.parties;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;

/**
 * Turns the parties of a payload into keys for the party history: HMAC-SHA256 with the hub's secret
 * over the identifier type and the normalised identifier (resident ID or other document number of a
 * suspect, unified social credit code of a company). Witnesses are not tracked.
 *
 * <p>Important: only the keyed hash is stored. Without the secret nobody can test a known ID number
 * against the table (an unkeyed hash of an 18-digit resident ID is brute-forced in minutes), and
 * the plain number never reaches the database or a log line.
 */
public final class PartyKeys {

  private static final String HMAC = "HmacSHA256";

  private final SecretKeySpec secret;

  public PartyKeys(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the party hash key must have at least 16 bytes");
    }
    this.secret = new SecretKeySpec(secret.clone(), HMAC);
  }

  /** The keys of the suspects and companies among {@code parties}; none for anything else. */
  public Set<String> keysOf(JsonNode parties) {
    Set<String> keys = new LinkedHashSet<>();
    if (parties == null || !parties.isArray()) {
      return keys;
    }
    for (JsonNode party : parties) {
      String role = text(party, "role");
      if ("SUSPECT".equals(role)) {
        String idType = text(party, "idType");
        String idNumber = text(party, "idNumber");
        if (idNumber != null) {
          keys.add(key(idType == null ? "RESIDENT_ID" : idType, idNumber));
        }
      } else if ("COMPANY".equals(role)) {
        String creditCode = text(party, "creditCode");
        if (creditCode != null) {
          keys.add(key("CREDIT_CODE", creditCode));
        }
      }
    }
    return keys;
  }

  /** The key of one identifier; case and surrounding spaces do not matter. */
  public String key(String identifierType, String identifier) {
    String normal = identifierType + ":" + identifier.strip().toUpperCase(Locale.ROOT);
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(secret);
      return HexFormat.of().formatHex(mac.doFinal(normal.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isString() && !value.stringValue().isBlank()
        ? value.stringValue()
        : null;
  }

  static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }
}
