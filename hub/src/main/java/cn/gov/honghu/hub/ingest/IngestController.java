package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.message.CaseNumbers;
import cn.gov.honghu.hub.message.Receipt;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.web.BodyTooLargeException;
import cn.gov.honghu.hub.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/messages}. A Spring MVC controller rather than Camel REST DSL: the HTTP
 * checks that come before the body is read (401, 413, 415) need the raw request, and springdoc
 * documents MVC controllers only. Everything after the bytes are read is the Camel ingest flow.
 *
 * <p>While a post is processed, the log context (MDC) names its {@code agency}, {@code messageId}
 * and {@code caseNumber}, and each outcome is logged once here with its status and rule ids.
 * Important: nothing from the payload is logged, nor any exception message of the parsing (Jackson
 * quotes the offending text), since payloads carry personal data (HUB-SPEC section 10).
 */
@RestController
@Tag(name = "ingest")
class IngestController {

  private static final Logger log = LoggerFactory.getLogger(IngestController.class);
  private static final Pattern UUID =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  /** A phone or ID number typed into the case number field. */
  private static final Pattern LONG_DIGIT_RUN = Pattern.compile("\\d{11,}");

  private static final JsonMapper SCANNER = JsonMapper.builder().build();

  private final IngestPipeline pipeline;
  private final RefusalRecorder refusals;
  private final long maxBodySize;

  IngestController(IngestPipeline pipeline, RefusalRecorder refusals, HubProperties hub) {
    this.pipeline = pipeline;
    this.refusals = refusals;
    this.maxBodySize = hub.ingest().maxBodySize().toBytes();
  }

  @PostMapping("/api/v1/messages")
  @Operation(
      summary = "Send a message",
      description =
          "Validates, deduplicates, routes and durably stores the message before answering 202;"
              + " any answer other than 202/200 means nothing was stored, so a retry is safe."
              + " Checks run in the order 401, 429, 413, 415, 400 (JSON, envelope), 403, 400 (payload),"
              + " 200/409, 422.",
      requestBody =
          @RequestBody(
              required = true,
              description =
                  "The message envelope with the type's payload; the JSON Schemas are in the"
                      + " `schemas` module (`schemas/README.md`).",
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(ref = "#/components/schemas/Envelope"))))
  @ApiResponse(
      responseCode = "202",
      description = "Accepted and durably stored: the receipt with recipients and rule ids")
  @ApiResponse(
      responseCode = "200",
      description =
          "Duplicate of an accepted message: its original receipt, status DUPLICATE and"
              + " duplicateOf")
  @ApiResponse(
      responseCode = "400",
      description =
          "Malformed JSON, unknown type or schemaVersion, or schema / constraint violations"
              + " (every one in `errors`, with its JSON Pointer)")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(
      responseCode = "403",
      description =
          "sender is not the caller, the caller may not send this type, or is not a party to the"
              + " case")
  @ApiResponse(
      responseCode = "409",
      description =
          "messageId of an accepted message with different content (receiptId only for the same"
              + " sender)")
  @ApiResponse(responseCode = "413", description = "Body over the configured limit (1 MiB)")
  @ApiResponse(responseCode = "415", description = "Not application/json (UTF-8)")
  @ApiResponse(
      responseCode = "422",
      description = "Valid message that breaks a case rule (`rule` names it)")
  @ApiResponse(
      responseCode = "503",
      description = "The hub cannot store the message now; nothing was stored",
      headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying"))
  ResponseEntity<Receipt> post(
      @Parameter(hidden = true) @AuthenticationPrincipal Agency agency, HttpServletRequest request)
      throws IOException {
    MDC.put("agency", agency.code());
    try {
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
      putLogContext(body);
      Submission message = new Submission(agency, body);
      pipeline.process(message);
      logOutcome(message.outcomeStatus(), message.outcome());
      return ResponseEntity.status(message.outcomeStatus()).body(message.outcome());
    } catch (ProblemException refusal) {
      Object rule = refusal.members().get("rule");
      if (rule == null) {
        log.info("refused: status {}, {}", refusal.status(), refusal.problemType());
      } else {
        log.info("refused: status {}, {}, rule {}", refusal.status(), refusal.problemType(), rule);
      }
      throw refusal;
    } catch (RuntimeException failure) {
      // answered 503/500 by ProblemResponses; the class only, its message may quote values
      log.info("not stored: {}", failure.getClass().getSimpleName());
      throw failure;
    } finally {
      MDC.remove("agency");
      MDC.remove("messageId");
      MDC.remove("caseNumber");
    }
  }

  private static void logOutcome(int status, Receipt receipt) {
    if (Receipt.DUPLICATE.equals(receipt.status())) {
      log.info("duplicate: status {}, duplicate of {}", status, receipt.duplicateOf());
      return;
    }
    StringBuilder findings = new StringBuilder();
    if (receipt.clauses() != null && !receipt.clauses().isEmpty()) {
      findings.append(", clauses ").append(receipt.clauses());
    }
    if (receipt.flags() != null && !receipt.flags().isEmpty()) {
      findings.append(", flags ").append(receipt.flags());
    }
    log.info(
        "message accepted: status {}, rules {}, recipients {}{}",
        status,
        receipt.ruleIds(),
        receipt.recipients(),
        findings);
  }

  /**
   * Puts the envelope's {@code messageId} (when it is a UUID) and {@code caseNumber} (when
   * well-formed; a document number, not personal data, unless a phone or ID number was typed into
   * it: then it is left out) in the log context, read from the top level of the body without
   * building a tree. A body that is not JSON leaves them out: the ingest flow refuses it, and the
   * parser's exception, which quotes the text, is dropped here.
   */
  private static void putLogContext(byte[] body) {
    String messageId = null;
    String caseNumber = null;
    try (JsonParser parser = SCANNER.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while ((messageId == null || caseNumber == null)
          && parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        if (parser.nextToken() == JsonToken.VALUE_STRING) {
          if (messageId == null && "messageId".equals(name)) {
            messageId = parser.getString();
          } else if (caseNumber == null && "caseNumber".equals(name)) {
            caseNumber = parser.getString();
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (RuntimeException notJson) {
      // left to the envelope check, which answers 400 without quoting the body
    } finally {
      if (messageId != null && UUID.matcher(messageId).matches()) {
        MDC.put("messageId", messageId);
      }
      if (caseNumber != null
          && CaseNumbers.isWellFormed(caseNumber)
          && !LONG_DIGIT_RUN.matcher(caseNumber).find()) {
        MDC.put("caseNumber", caseNumber);
      }
    }
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
    return BodyTooLargeException.problem(maxBodySize);
  }

  private static boolean isUtf8(String charset) {
    String name = charset.replace("\"", "").trim();
    return name.equalsIgnoreCase("utf-8") || name.equalsIgnoreCase("utf8");
  }
}
