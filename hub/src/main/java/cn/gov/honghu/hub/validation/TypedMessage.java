package cn.gov.honghu.hub.validation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import java.util.List;

/**
 * The typed view of a message that carries the bean constraints the JSON Schema cannot express
 * (check digits, a clock-relative bound). Fields are strings so that a value of the wrong type,
 * already reported by the schema, never hides the other violations.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record TypedMessage(@NotFarAhead(minutes = 5) String sentAt, @Valid Payload payload) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Payload(@Valid List<Party> parties) {}

  /** A party of a case; identity numbers are personal data and never appear in a message. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @ValidIdentity
  record Party(
      String role, String name, String idType, String idNumber, String creditCode, String phone) {}
}
