package cn.gov.honghu.hub.audit;

import cn.gov.honghu.hub.audit.AuditQueries.Filter;
import cn.gov.honghu.hub.audit.ChainVerifier.Verification;
import cn.gov.honghu.hub.web.Cursor;
import cn.gov.honghu.hub.web.Page;
import cn.gov.honghu.hub.web.ProblemException;
import cn.gov.honghu.hub.web.QueryParams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit chain for auditors (HUB-SPEC section 11): its entries, and its verification. */
@RestController
@Tag(name = "admin")
class AuditController {

  private final AuditQueries queries;
  private final ChainVerifier verifier;

  AuditController(AuditQueries queries, ChainVerifier verifier) {
    this.queries = queries;
    this.verifier = verifier;
  }

  @GetMapping("/admin/v1/audit")
  @Operation(
      summary = "Audit chain entries (auditor, operator, admin)",
      description =
          "Entries {seq, at, kind, actor, messageId, caseNumber, agency, detail, prevHash, hash}"
              + " in chain order; filters `messageId`, `caseNumber`, `agency`, `kind`, `from`/`to`"
              + " (ISO-8601 with offset); paged by `after` (the previous page's `nextCursor`).")
  @ApiResponse(responseCode = "200", description = "{items, page, size, nextCursor}")
  @ApiResponse(responseCode = "400", description = "A bad kind, timestamp, cursor or size")
  Page<ChainedEntry> list(
      @RequestParam(required = false) String messageId,
      @RequestParam(required = false) String caseNumber,
      @RequestParam(required = false) String agency,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @Parameter(description = "1-500") @RequestParam(defaultValue = "100") int size,
      @Parameter(description = "nextCursor of the previous page: continue after it")
          @RequestParam(required = false)
          String after) {
    Page.check(0, size);
    Cursor cursor = Cursor.decode(after);
    Filter filter =
        new Filter(
            QueryParams.optional(messageId),
            QueryParams.optional(caseNumber),
            QueryParams.optional(agency),
            kind(kind),
            QueryParams.instant("from", from),
            QueryParams.instant("to", to));
    List<ChainedEntry> items = queries.list(filter, cursor == null ? 0 : cursor.id(), size);
    String next =
        items.size() == size ? new Cursor(null, items.get(items.size() - 1).seq()).encode() : null;
    return new Page<>(items, null, 0, size, next);
  }

  @GetMapping("/admin/v1/audit/verify")
  @Operation(
      summary = "Verify the audit chain (auditor, operator, admin)",
      description =
          "Recomputes every hash from the first entry and compares the end of the chain with its"
              + " head and with the newest signed head of the head file: {ok, entries, head,"
              + " signedHead} or {ok: false, firstBroken: {seq, reason}, ...}.")
  @ApiResponse(responseCode = "200", description = "The verification, ok or not")
  Verification verify() {
    return verifier.verify();
  }

  private static String kind(String kind) {
    String value = QueryParams.optional(kind);
    if (value == null) {
      return null;
    }
    try {
      return AuditTrail.Kind.valueOf(value.toUpperCase(Locale.ROOT)).name();
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("kind must be one of " + List.of(AuditTrail.Kind.values()));
    }
  }
}
