package cn.gov.honghu.hub.crypto;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The canonical form of JSON content for deduplication (HUB-SPEC section 6): object keys sorted at
 * every depth, no insignificant whitespace, strings by value (escapes resolved), numbers by value
 * ({@code 1.0} equals {@code 1}).
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  public static String sha256(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(out.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  public static String canonical(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
      Collections.sort(entries, Map.Entry.comparingByKey());
      out.append('{');
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        string(entries.get(i).getKey(), out);
        out.append(':');
        write(entries.get(i).getValue(), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isNumber()) {
      out.append(number(node.decimalValue()));
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else {
      string(node.asString(), out);
    }
  }

  /** One spelling per value: trailing zeros stripped, scientific form for large exponents. */
  private static String number(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    return value.stripTrailingZeros().toString();
  }

  /** {@code value} as a canonical JSON string: only {@code "}, {@code \\} and controls escaped. */
  public static String quote(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2);
    string(value, out);
    return out.toString();
  }

  private static void string(String value, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
