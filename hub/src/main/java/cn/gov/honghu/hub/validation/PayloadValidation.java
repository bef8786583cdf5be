package cn.gov.honghu.hub.validation;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.message.CaseNumbers;
import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.message.Submission;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payload check of HUB-SPEC section 3 (after authorisation): the type's JSON Schema, the bean
 * constraints of {@link TypedMessage}, and references to configuration (agency codes, water areas).
 * Every violation is reported at once.
 */
public final class PayloadValidation {

  /** The longest case number (HUB-SPEC section 3), in Java characters. */
  static final int MAX_CASE_NUMBER_LENGTH = CaseNumbers.MAX_LENGTH;

  /** The longest comparison form of a case number the case index stores (V1 {@code case_key}). */
  static final int MAX_CASE_KEY_LENGTH = CaseNumbers.MAX_KEY_LENGTH;

  private static final JsonMapper LENIENT =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final SchemaCatalog schemas;
  private final Validator validator;
  private final AgencyRegistry agencies;
  private final Set<String> waterAreas;

  public PayloadValidation(
      SchemaCatalog schemas, Validator validator, AgencyRegistry agencies, Set<String> waterAreas) {
    this.schemas = schemas;
    this.validator = validator;
    this.agencies = agencies;
    this.waterAreas = Set.copyOf(waterAreas);
  }

  public void check(Submission submission) {
    MessageType type = submission.type();
    Set<Violation> violations =
        new LinkedHashSet<>(schemas.validate(type.name(), "1", submission.envelope()));
    violations.addAll(beanViolations(submission.envelope()));
    violations.addAll(referenceViolations(type, submission.payload()));
    if (!type.isAlertType()) {
      violations.addAll(caseNumberViolations(submission.caseNumber()));
    }
    if (!violations.isEmpty()) {
      List<Violation> sorted = new ArrayList<>(violations);
      sorted.sort(Comparator.comparing(Violation::pointer));
      throw ValidationFailure.of("the message does not satisfy its schema", sorted);
    }
    String caseNumber = submission.caseNumber();
    submission.caseKey(caseNumber == null ? null : CaseNumbers.key(caseNumber));
  }

  private List<Violation> beanViolations(JsonNode envelope) {
    TypedMessage typed;
    try {
      typed = LENIENT.treeToValue(envelope, TypedMessage.class);
    } catch (JacksonException e) {
      return List.of(); // a shape the schema already reported
    }
    List<Violation> found = new ArrayList<>();
    for (ConstraintViolation<TypedMessage> violation : validator.validate(typed)) {
      found.add(new Violation(pointer(violation.getPropertyPath()), violation.getMessage()));
    }
    return found;
  }

  private List<Violation> referenceViolations(MessageType type, JsonNode payload) {
    List<Violation> found = new ArrayList<>();
    JsonNode addressee = payload.get("addressee");
    if (type.hasAddressee()
        && addressee != null
        && addressee.isString()
        && agencies.find(addressee.stringValue()).isEmpty()) {
      found.add(new Violation("/payload/addressee", "unknown agency code"));
    }
    JsonNode area = payload.get("waterArea");
    if (type == MessageType.FISHING_BAN_ALERT
        && area != null
        && area.isString()
        && !waterAreas.contains(area.stringValue())) {
      found.add(new Violation("/payload/waterArea", "unknown water area"));
    }
    return found;
  }

  /**
   * What the schema cannot see of a case number. Its 64 characters are counted as Java (UTF-16)
   * characters, as {@link CaseNumbers#isWellFormed} (which the party check relies on) and the
   * embedded database count them, while the schema counts code points: 64 characters of CJK
   * extension B are 128. Its comparison form ({@link CaseNumbers#key}) must not be empty (spaces
   * name no case) and must fit the case index, since NFKC spells some characters with several (㈱ is
   * "(株)").
   */
  private static List<Violation> caseNumberViolations(String caseNumber) {
    if (caseNumber == null) {
      return List.of(); // absent or not a string: the schema reports it where it matters
    }
    if (caseNumber.length() > MAX_CASE_NUMBER_LENGTH) {
      // the schema's own wording, so that a number too long in code points is reported once
      return List.of(
          new Violation(
              "/caseNumber", "must be at most " + MAX_CASE_NUMBER_LENGTH + " characters long"));
    }
    String key = CaseNumbers.key(caseNumber);
    if (key.isEmpty()) {
      return List.of(new Violation("/caseNumber", "must not be blank"));
    }
    if (key.length() > MAX_CASE_KEY_LENGTH) {
      return List.of(
          new Violation(
              "/caseNumber",
              "must be at most "
                  + MAX_CASE_KEY_LENGTH
                  + " characters long once normalised (NFKC)"));
    }
    return List.of();
  }

  /** {@code payload.parties[0].idNumber} as {@code /payload/parties/0/idNumber}. */
  static String pointer(Path path) {
    StringBuilder pointer = new StringBuilder();
    for (Path.Node node : path) {
      if (node.getIndex() != null) {
        pointer.append('/').append(node.getIndex());
      }
      if (node.getName() != null) {
        pointer.append('/').append(node.getName().replace("~", "~0").replace("/", "~1"));
      }
    }
    return pointer.toString();
  }
}
