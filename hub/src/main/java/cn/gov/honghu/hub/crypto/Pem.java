package cn.gov.honghu.hub.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PEM text (RFC 7468) of keys and certificates: what openssl and Spring's SSL bundles read. */
public final class Pem {

  private Pem() {}

  /** {@code der} as a PEM block of {@code type} (e.g. {@code PRIVATE KEY}), 64 columns. */
  public static String encode(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** The DER bytes of the first block of {@code pem}; IllegalArgumentException if not base64. */
  public static byte[] decode(String pem) {
    String body = pem.replaceAll("-----(BEGIN|END) [A-Z0-9 ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }
}
