package cn.gov.honghu.hub.web;

import cn.gov.honghu.hub.message.ProblemException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
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

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> refusal(ProblemException problem) {
    return body(problem);
  }

  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    CannotCreateTransactionException.class
  })
  ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
    log.warn("Store unavailable: {}", e.getClass().getSimpleName());
    ProblemException problem =
        new ProblemException(
            503,
            "unavailable",
            "Service Unavailable",
            "the hub cannot store messages right now; nothing was stored, retry later");
    ResponseEntity<ProblemDetail> response = body(problem);
    return ResponseEntity.status(503)
        .headers(response.getHeaders())
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(response.getBody());
  }

  static ResponseEntity<ProblemDetail> body(ProblemException problem) {
    ProblemDetail detail = ProblemDetail.forStatus(HttpStatus.valueOf(problem.status()));
    detail.setType(URI.create("urn:hub:problem:" + problem.problemType()));
    detail.setTitle(problem.title());
    detail.setDetail(problem.detail());
    problem.members().forEach(detail::setProperty);
    return ResponseEntity.status(problem.status())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(detail);
  }
}
