package cn.gov.honghu.hub.web;

import cn.gov.honghu.hub.message.StoreFailures;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.sql.SQLException;
import java.util.UUID;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API as {@code application/problem+json} (RFC 9457). The hub's own refusals
 * carry their extra members; Spring MVC's (unknown path, wrong method, bad parameter) keep Spring's
 * standard problem bodies; an unexpected failure is logged by class only, never with request
 * content, and answered without detail.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

  /** How long a sender should wait after a 503 before it retries. */
  static final int RETRY_AFTER_SECONDS = 5;

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> refusal(ProblemException problem) {
    return body(problem);
  }

  /**
   * A store that cannot answer now (unreachable, or a passing refusal such as a lock timeout) is a
   * 503 with Retry-After, for ingest, pulls and queries alike ({@link StoreFailures}). Anything
   * else is a failure of the hub, not of the request: answered 500 without detail, and logged by
   * class and place only, since exception messages may quote request values (a database error
   * quotes the offending value, which may be personal data).
   */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    if (causeOfType(e, InvalidParameterException.class) != null) {
      // Tomcat could not decode the query string (e.g. "%zz"): the request's fault, not the hub's
      return body(ProblemException.badRequest("the query parameters could not be decoded"));
    }
    if (isCharacterTheStoreCannotHold(e)) {
      // PostgreSQL's text holds no NUL: a parameter or body string with one cannot be compared
      return body(
          ProblemException.badRequest(
              "the request holds a character the hub cannot store or compare (such as NUL)"));
    }
    if (e instanceof IllegalArgumentException && hasWildcardContentType(request)) {
      // Spring MVC cannot even describe a body of type "*/*" (Assert in HttpHeaders): not JSON
      return body(
          new ProblemException(
              415,
              "unsupported-media-type",
              "Unsupported Media Type",
              "send the body as application/json"));
    }
    if (StoreFailures.isUnavailable(e)) {
      log.warn("Store unavailable: {}", e.getClass().getSimpleName());
      return body(
          new ProblemException(
              503,
              "unavailable",
              "Service Unavailable",
              "the hub's database cannot answer right now; nothing was changed, retry later"));
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StackTraceElement[] at = root.getStackTrace();
    log.error(
        "Unexpected failure: {} (root cause {} at {})",
        e.getClass().getName(),
        root.getClass().getName(),
        at.length == 0 ? "unknown" : at[0]);
    return body(
        new ProblemException(
            500,
            "internal-error",
            "Internal Server Error",
            "the hub failed to process this request"));
  }

  /**
   * Spring MVC's own refusals (no such path, wrong method, unreadable body, bad parameter) keep
   * their status and title, but their detail and instance would repeat the request path or the
   * offending value, which may carry personal data: both are replaced by the hub's own words.
   */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    BodyTooLargeException tooLarge = causeOfType(ex, BodyTooLargeException.class);
    if (tooLarge != null) {
      // A body cut at its limit while Spring read it (BodyLimitFilter): 413, not 400.
      return ResponseEntity.status(413)
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(body(tooLarge.problem()).getBody());
    }
    ProblemDetail problem =
        body instanceof ProblemDetail detail ? detail : ProblemDetail.forStatus(status);
    problem.setDetail(genericDetail(status));
    // Spring leaves the type out (about:blank); every answer of the hub names one
    problem.setType(URI.create("urn:hub:problem:" + genericType(status)));
    problem.setProperties(null);
    // An occurrence id: left empty, Spring would fill the instance with the request path.
    problem.setInstance(URI.create("urn:uuid:" + UUID.randomUUID()));
    return super.handleExceptionInternal(ex, problem, headers, status, request);
  }

  private static boolean hasWildcardContentType(HttpServletRequest request) {
    String contentType = request.getContentType();
    if (contentType == null) {
      return false;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return type.isWildcardType() || type.isWildcardSubtype();
    } catch (InvalidMediaTypeException unreadable) {
      return false;
    }
  }

  /**
   * PostgreSQL's SQLSTATE 22021 (character not in repertoire, e.g. NUL in text) and 22P05
   * (untranslatable character): the value came from the request.
   */
  private static boolean isCharacterTheStoreCannotHold(Throwable failure) {
    SQLException sql = causeOfType(failure, SQLException.class);
    for (SQLException next = sql; next != null; next = next.getNextException()) {
      if ("22021".equals(next.getSQLState()) || "22P05".equals(next.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String genericType(HttpStatusCode status) {
    return switch (status.value()) {
      case 400 -> "bad-request";
      case 404 -> "no-such-resource";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 415 -> "unsupported-media-type";
      default -> "request-refused";
    };
  }

  private static String genericDetail(HttpStatusCode status) {
    return switch (status.value()) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 406 -> "the requested media type is not available";
      case 415 -> "unsupported media type";
      case 400 -> "the request could not be read (body or parameters malformed)";
      default -> "the request could not be processed";
    };
  }

  static ResponseEntity<ProblemDetail> body(ProblemException problem) {
    ProblemDetail detail = ProblemDetail.forStatus(HttpStatus.valueOf(problem.status()));
    detail.setType(URI.create("urn:hub:problem:" + problem.problemType()));
    detail.setTitle(problem.title());
    detail.setDetail(problem.detail());
    problem.members().forEach(detail::setProperty);
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(problem.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (problem.retryAfterSeconds().isPresent()) {
      response.header(HttpHeaders.RETRY_AFTER, String.valueOf(problem.retryAfterSeconds().get()));
    } else if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
      response.header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
    }
    if (problem.status() == HttpStatus.UNAUTHORIZED.value()) {
      // RFC 9110 section 15.5.2: a 401 names the scheme it wants (RFC 6750 for bearer keys)
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hub\"");
    }
    return response.body(detail);
  }
}
