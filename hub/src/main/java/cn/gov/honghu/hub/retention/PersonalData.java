package cn.gov.honghu.hub.retention;

import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The personal data of an envelope (HUB-SPEC sections 5.1 and 11) and its removal: of each {@code
 * payload.parties[]} the name, ID number, phone and any address field; the names of {@code
 * payload.defendants[]} (INDICTMENT) and of {@code payload.sentences[].party} (JUDGMENT). Roles,
 * identifier types and a company's credit code stay, so the case still reads as a case; the
 * party-history hashes (table party_penalty) are not touched.
 *
 * <p>Free text (facts, content, a verdict) may name people too; it cannot be told apart from the
 * rest of the text and stays as the agency wrote it.
 */
final class PersonalData {

  static final String REMOVED = "[removed]";

  private static final List<String> PARTY_FIELDS = List.of("name", "idNumber", "phone");

  private PersonalData() {}

  /** Replaces every personal field of the envelope in place; returns how many it replaced. */
  static int remove(JsonNode envelope) {
    JsonNode payload = envelope.path("payload");
    if (!payload.isObject()) {
      return 0;
    }
    int removed = 0;
    for (JsonNode party : payload.path("parties")) {
      if (party instanceof ObjectNode fields) {
        for (String field : List.copyOf(fields.propertyNames())) {
          if (isPersonal(field) && !isRemoved(fields.get(field))) {
            fields.put(field, REMOVED);
            removed++;
          }
        }
      }
    }
    if (payload.path("defendants") instanceof ArrayNode defendants) {
      for (int i = 0; i < defendants.size(); i++) {
        if (!isRemoved(defendants.get(i))) {
          defendants.set(i, REMOVED);
          removed++;
        }
      }
    }
    for (JsonNode sentence : payload.path("sentences")) {
      if (sentence instanceof ObjectNode fields
          && fields.has("party")
          && !isRemoved(fields.get("party"))) {
        fields.put("party", REMOVED);
        removed++;
      }
    }
    return removed;
  }

  private static boolean isPersonal(String field) {
    return PARTY_FIELDS.contains(field) || field.toLowerCase(Locale.ROOT).contains("address");
  }

  private static boolean isRemoved(JsonNode value) {
    return value == null || value.isNull() || REMOVED.equals(value.asString(null));
  }
}
