package cn.gov.honghu.hub.rules;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /admin/v1/rules}: the rules file in force, for admins explaining a decision. */
@RestController
@Tag(name = "admin")
class RulesController {

  private final RulesFile rules;

  RulesController(RulesFile rules) {
    this.rules = rules;
  }

  @GetMapping("/admin/v1/rules")
  @Operation(
      summary = "The rules in force",
      description =
          "The active rules file: its version, where it was loaded from, and every entry (routes,"
              + " threshold clauses and flags, banned methods, laws, deadlines) as loaded.")
  @ApiResponse(responseCode = "200", description = "{version, source, rules}")
  @ApiResponse(responseCode = "401", description = "Missing or unknown API key")
  @ApiResponse(responseCode = "403", description = "An agency key")
  Map<String, Object> rules() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", rules.version());
    body.put("source", rules.source());
    body.put("rules", rules.document());
    return body;
  }
}
