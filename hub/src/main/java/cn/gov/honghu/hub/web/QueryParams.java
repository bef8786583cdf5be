package cn.gov.honghu.hub.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reading optional query parameters the same way on every list endpoint. */
public final class QueryParams {

  private QueryParams() {}

  /** The trimmed value, or null when absent or blank. */
  public static String optional(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** An ISO-8601 timestamp with offset, or null when absent; anything else is a 400 naming it. */
  public static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest(name + " must be an ISO-8601 timestamp with offset");
    }
  }
}
