package cn.gov.honghu.hub.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal answered as {@code application/problem+json} (RFC 9457). The detail and the extra
 * members are written by the hub, never copied from the payload, so they carry no personal data.
 */
public class ProblemException extends RuntimeException {

  private final int status;
  private final String problemType;
  private final String title;
  private final Map<String, Object> members = new LinkedHashMap<>();
  private Long retryAfterSeconds;

  public ProblemException(int status, String problemType, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.problemType = problemType;
    this.title = title;
  }

  public ProblemException with(String member, Object value) {
    members.put(member, value);
    return this;
  }

  public int status() {
    return status;
  }

  /** A short slug; the problem's {@code type} URI is {@code urn:hub:problem:<slug>}. */
  public String problemType() {
    return problemType;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, Object> members() {
    return members;
  }

  public static ProblemException unauthorized() {
    return new ProblemException(
        401,
        "unauthorized",
        "Unauthorized",
        "missing or unknown credentials: send Authorization: Bearer <api key>");
  }

  /** 429: a per-agency limit or too many failed authentications; retry after the seconds given. */
  public static ProblemException rateLimited(long retryAfterSeconds, String detail) {
    ProblemException problem =
        new ProblemException(429, "rate-limited", "Too Many Requests", detail);
    problem.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    return problem;
  }

  /** The seconds of the {@code Retry-After} header, when the problem sets one. */
  public java.util.Optional<Long> retryAfterSeconds() {
    return java.util.Optional.ofNullable(retryAfterSeconds);
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "forbidden", "Forbidden", detail);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "not-found", "Not Found", detail);
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "bad-request", "Bad Request", detail);
  }
}
