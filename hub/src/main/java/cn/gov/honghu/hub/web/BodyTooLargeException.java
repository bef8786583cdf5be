package cn.gov.honghu.hub.web;

import java.io.IOException;

/**
 * Thrown while reading a request body past its limit; an {@link IOException}, so that the JSON
 * reader passes it on, and {@link ProblemResponses} finds it among the causes and answers 413.
 */
public final class BodyTooLargeException extends IOException {

  private final long maxBytes;

  public BodyTooLargeException(long maxBytes) {
    super("body over " + maxBytes + " bytes");
    this.maxBytes = maxBytes;
  }

  public ProblemException problem() {
    return problem(maxBytes);
  }

  /** The 413 answer for a body over {@code maxBytes}. */
  public static ProblemException problem(long maxBytes) {
    return new ProblemException(
        413,
        "payload-too-large",
        "Payload Too Large",
        "the body is larger than the hub's limit of " + maxBytes + " bytes");
  }
}
