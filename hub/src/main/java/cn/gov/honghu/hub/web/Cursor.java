package cn.gov.honghu.hub.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The position after the last item of a page ({@link Page#nextCursor()}): the item's sort time
 * (null for lists sorted by id alone) and its row id, opaque to callers (base64url).
 */
public record Cursor(Instant at, long id) {

  public String encode() {
    String plain = (at == null ? "" : at.toString()) + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a caller passed as {@code after}; null when absent; anything else is a 400. */
  public static Cursor decode(String after) {
    String value = QueryParams.optional(after);
    if (value == null) {
      return null;
    }
    try {
      String plain = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
      int bar = plain.lastIndexOf('|');
      String at = plain.substring(0, bar);
      return new Cursor(
          at.isEmpty() ? null : Instant.parse(at), Long.parseLong(plain.substring(bar + 1)));
    } catch (IllegalArgumentException | IndexOutOfBoundsException | DateTimeParseException e) {
      throw ProblemException.badRequest("after must be a nextCursor of an earlier page");
    }
  }
}
