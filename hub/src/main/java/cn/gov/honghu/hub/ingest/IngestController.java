package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.message.ProblemException;
import cn.gov.honghu.hub.message.Receipt;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.web.Callers;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/messages}. A Spring MVC controller rather than Camel REST DSL: the HTTP
 * checks that come before the body is read (401, 413, 415) need the raw request, and springdoc
 * documents MVC controllers only. Everything after the bytes are read is the Camel ingest flow.
 */
@RestController
class IngestController {

  private final Callers callers;
  private final IngestPipeline pipeline;
  private final RefusalRecorder refusals;
  private final long maxBodySize;

  IngestController(
      Callers callers, IngestPipeline pipeline, RefusalRecorder refusals, HubProperties hub) {
    this.callers = callers;
    this.pipeline = pipeline;
    this.refusals = refusals;
    this.maxBodySize = hub.ingest().maxBodySize().toBytes();
  }

  @PostMapping("/api/v1/messages")
  ResponseEntity<Receipt> post(HttpServletRequest request) throws IOException {
    Agency agency = callers.requireAgency(request.getHeader(HttpHeaders.AUTHORIZATION));
    byte[] body;
    try {
      if (request.getContentLengthLong() > maxBodySize) {
        throw tooLarge();
      }
      // 413 comes before 415: a body without Content-Length (chunked) shows its size only when
      // read, so it is read (at most the limit plus one byte) before its media type is judged.
      body = readLimited(request.getInputStream());
      requireJson(request.getContentType());
    } catch (ProblemException refusal) {
      refusals.record(agency, null, refusal);
      throw refusal;
    }
    Submission message = new Submission(agency, body);
    pipeline.process(message);
    return ResponseEntity.status(message.outcomeStatus()).body(message.outcome());
  }

  private void requireJson(String contentType) {
    MediaType type;
    try {
      type = contentType == null ? null : MediaType.parseMediaType(contentType);
    } catch (InvalidMediaTypeException e) {
      type = null;
    }
    boolean json =
        type != null
            && "application".equals(type.getType())
            && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
    String charset = type == null ? null : type.getParameter("charset");
    if (!json || (charset != null && !isUtf8(charset))) {
      throw new ProblemException(
          415,
          "unsupported-media-type",
          "Unsupported Media Type",
          "send Content-Type: application/json (UTF-8)");
    }
  }

  private byte[] readLimited(InputStream in) throws IOException {
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize + 1));
    if (body.length > maxBodySize) {
      throw tooLarge();
    }
    return body;
  }

  private ProblemException tooLarge() {
    return new ProblemException(
        413,
        "payload-too-large",
        "Payload Too Large",
        "the body is larger than the hub's limit of " + maxBodySize + " bytes");
  }

  private static boolean isUtf8(String charset) {
    String name = charset.replace("\"", "").trim();
    return name.equalsIgnoreCase("utf-8") || name.equalsIgnoreCase("utf8");
  }
}
