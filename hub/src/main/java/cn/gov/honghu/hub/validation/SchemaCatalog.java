package cn.gov.honghu.hub.validation;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schemas of the message contract (module {@code schemas}, draft 2020-12), loaded from the
 * classpath once at construction and reused for every request.
 *
 * <p>The list of message types is the {@code type} enum of {@code envelope.schema.json}, so the
 * contract is the single source; the full-message schema of a type is {@code <type in kebab
 * case>.schema.json} (e.g. {@code CASE_TRANSFER} in {@code case-transfer.schema.json}). A type
 * without its schema file stops the hub at start.
 *
 * <p>Important: values may be personal data (names, ID numbers, phones), so every {@link Violation}
 * names the field and the rule only. The library's own messages are not used: their templates are
 * localised and configurable, and nothing promises they leave the value out. The library also
 * reports every failing branch of an {@code anyOf}; they are folded into one violation per field.
 *
 * <p>Thread-safe after construction: networknt {@link Schema}s are immutable once their validators
 * are initialised, which the constructor forces so that a broken {@code $ref} fails at start and no
 * request pays for loading.
 */
public final class SchemaCatalog {

  /** The only schema version of the contract so far. */
  public static final String SCHEMA_VERSION = "1";

  private static final String RESOURCE_DIR = "schemas/v1/";
  // Where the registry files the texts in memory. The schemas carry no $id and refer to each
  // other relatively; ".invalid" (RFC 2606) can never resolve, and the registry has no remote
  // fetcher, so a missing file fails at start instead of going to the network. (A "classpath:"
  // base would bypass the in-memory texts: the library reads classpath IRIs itself.)
  private static final String IRI_BASE = "https://schemas.hub.invalid/v1/";
  private static final String ENVELOPE = "envelope.schema.json";
  private static final String COMMON = "common.schema.json";

  private final Map<String, Schema> schemasByType;

  /** Loads and compiles every message schema; throws if one is missing or broken. */
  public SchemaCatalog() {
    ClassLoader loader = SchemaCatalog.class.getClassLoader();
    String envelopeText = read(loader, ENVELOPE);
    List<String> types = new ArrayList<>();
    JsonMapper.shared()
        .readTree(envelopeText)
        .path("properties")
        .path("type")
        .path("enum")
        .forEach(type -> types.add(type.asString()));
    if (types.isEmpty()) {
      throw new IllegalStateException(RESOURCE_DIR + ENVELOPE + " lists no message type");
    }

    // Read with this class's loader and handed to the registry by IRI: no lookup at request
    // time, no dependence on the thread's context class loader.
    Map<String, String> texts = new HashMap<>();
    texts.put(IRI_BASE + ENVELOPE, envelopeText);
    texts.put(IRI_BASE + COMMON, read(loader, COMMON));
    for (String type : types) {
      texts.put(IRI_BASE + fileName(type), read(loader, fileName(type)));
    }
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(texts));

    Map<String, Schema> schemas = new LinkedHashMap<>();
    for (String type : types) {
      Schema schema = registry.getSchema(SchemaLocation.of(IRI_BASE + fileName(type)));
      schema.initializeValidators();
      schemas.put(type, schema);
    }
    this.schemasByType = Collections.unmodifiableMap(schemas);
  }

  /** Whether the contract has a schema for this type and version. */
  public boolean knows(String type, String schemaVersion) {
    return SCHEMA_VERSION.equals(schemaVersion) && type != null && schemasByType.containsKey(type);
  }

  /** The message types of the contract, agency-sent and hub-generated. */
  public Set<String> types() {
    return schemasByType.keySet();
  }

  /**
   * Validates a whole message (envelope and payload) against the full-message schema of its type.
   *
   * @return every violation, deduplicated and sorted by pointer; empty when the message is valid
   * @throws IllegalArgumentException when the type or version is unknown (check {@link #knows})
   */
  public List<Violation> validate(String type, String schemaVersion, JsonNode message) {
    Objects.requireNonNull(message, "message");
    if (!knows(type, schemaVersion)) {
      throw new IllegalArgumentException("no schema for this type and schema version");
    }
    List<Failure> failures = new ArrayList<>();
    for (com.networknt.schema.Error error : schemasByType.get(type).validate(message)) {
      failures.add(Failure.of(error));
    }
    Set<Violation> violations = new LinkedHashSet<>(fold(failures, 0));
    return violations.stream()
        .sorted(Comparator.comparing(Violation::pointer).thenComparing(Violation::detail))
        .toList();
  }

  static String fileName(String type) {
    return type.toLowerCase(Locale.ROOT).replace('_', '-') + ".schema.json";
  }

  private static String read(ClassLoader loader, String file) {
    try (InputStream in = loader.getResourceAsStream(RESOURCE_DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("schema not on the classpath: " + RESOURCE_DIR + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + RESOURCE_DIR + file, e);
    }
  }

  /**
   * Turns failures into violations, folding {@code anyOf} noise: the library reports the errors of
   * every branch of a failed {@code anyOf}. Branches that each only miss one property become one
   * "is required unless ..." violation at the first alternative; branches that all fail on the
   * value's type become one type violation; otherwise the branch closest to matching is reported
   * (no type mismatch, a value present but wrong rather than absent, fewest errors), recursively.
   *
   * @param from index in the evaluation path from which to look for the next {@code anyOf}
   */
  private static List<Violation> fold(List<Failure> failures, int from) {
    List<Violation> violations = new ArrayList<>();
    // one group per failed anyOf: its evaluation path and the instance it applied to
    Map<String, AnyOf> groups = new LinkedHashMap<>();
    for (Failure failure : failures) {
      int at = failure.branchingAnyOf(from);
      if (at < 0) {
        violations.add(failure.toViolation());
        continue;
      }
      List<String> instance = failure.instanceAbove(at + 2);
      String key = String.join("/", failure.eval().subList(0, at + 1)) + "@" + pointer(instance);
      groups
          .computeIfAbsent(key, k -> new AnyOf(instance, at + 2, new TreeMap<>()))
          .branches()
          .computeIfAbsent(Integer.parseInt(failure.eval().get(at + 1)), b -> new ArrayList<>())
          .add(failure);
    }
    groups.values().forEach(group -> violations.addAll(foldAnyOf(group)));
    return violations;
  }

  /** The failures of one failed {@code anyOf}, by branch index. */
  private record AnyOf(
      List<String> instance, int depth, TreeMap<Integer, List<Failure>> branches) {}

  private static List<Violation> foldAnyOf(AnyOf group) {
    Map<Integer, List<Failure>> branches = group.branches();
    List<String> instance = group.instance();
    boolean onlyMissing =
        branches.values().stream()
            .allMatch(branch -> branch.size() == 1 && branch.get(0).isMissingAt(instance));
    if (onlyMissing) {
      List<String> names =
          branches.values().stream().map(branch -> branch.get(0).missingProperty()).toList();
      List<String> field = new ArrayList<>(instance);
      field.add(names.get(0));
      List<String> others = names.subList(1, names.size());
      String detail =
          others.isEmpty()
              ? "is required"
              : others.size() == 1
                  ? "is required unless " + others.get(0) + " is present"
                  : "is required unless one of " + others + " is present";
      return List.of(new Violation(pointer(field), detail));
    }
    boolean allWrongType =
        branches.values().stream()
            .allMatch(branch -> branch.stream().anyMatch(f -> f.isTypeMismatchAt(instance)));
    if (allWrongType) {
      String expected =
          branches.values().stream()
              .flatMap(branch -> branch.stream().filter(f -> f.isTypeMismatchAt(instance)))
              .map(f -> f.argument(1))
              .distinct()
              .collect(Collectors.joining(" or "));
      return List.of(new Violation(pointer(instance), "must be of type " + expected));
    }
    // A branch whose value is there but wrong says more than one whose property is just absent.
    List<Failure> closest =
        branches.values().stream()
            .min(
                Comparator.comparing(
                        (List<Failure> branch) ->
                            branch.stream().anyMatch(f -> f.isTypeMismatchAt(instance)))
                    .thenComparing(branch -> branch.stream().allMatch(f -> f.isMissingAt(instance)))
                    .thenComparing(List::size))
            .orElseThrow();
    return fold(closest, group.depth());
  }

  static String pointer(List<String> tokens) {
    StringBuilder pointer = new StringBuilder();
    for (String token : tokens) {
      pointer.append('/').append(token.replace("~", "~0").replace("/", "~1"));
    }
    return pointer.toString();
  }

  private static List<String> tokens(NodePath path) {
    List<String> tokens = new ArrayList<>(path.getNameCount());
    for (int i = 0; i < path.getNameCount(); i++) {
      tokens.add(String.valueOf(path.getElement(i)));
    }
    return tokens;
  }

  /** One library error, with its paths as tokens. */
  private record Failure(
      com.networknt.schema.Error error, List<String> eval, List<String> instance) {

    static Failure of(com.networknt.schema.Error error) {
      return new Failure(
          error, tokens(error.getEvaluationPath()), tokens(error.getInstanceLocation()));
    }

    String keyword() {
      return error.getKeyword();
    }

    String argument(int index) {
      Object[] arguments = error.getArguments();
      return arguments != null && arguments.length > index ? String.valueOf(arguments[index]) : "";
    }

    String missingProperty() {
      return error.getProperty() != null ? error.getProperty() : argument(0);
    }

    /** Index of the first {@code anyOf} branch step at or after {@code from}, or -1. */
    int branchingAnyOf(int from) {
      for (int i = from; i < eval.size() - 2; i++) {
        if ("anyOf".equals(eval.get(i))
            && !eval.get(i + 1).isEmpty()
            && eval.get(i + 1).chars().allMatch(Character::isDigit)) {
          return i;
        }
      }
      return -1;
    }

    boolean isMissingAt(List<String> at) {
      return "required".equals(keyword()) && instance.equals(at);
    }

    boolean isTypeMismatchAt(List<String> at) {
      return "type".equals(keyword()) && instance.equals(at);
    }

    /**
     * The instance location of the schema at evaluation-path index {@code from}: this failure's
     * instance location without the steps the evaluation path takes into the instance after it.
     */
    List<String> instanceAbove(int from) {
      int steps = 0;
      for (int i = from; i < eval.size() - 1; i++) {
        switch (eval.get(i)) {
          case "properties", "patternProperties", "prefixItems" -> {
            steps++;
            i++;
          }
          case "items",
              "additionalProperties",
              "unevaluatedProperties",
              "unevaluatedItems",
              "contains" ->
              steps++;
          case "$defs", "dependentSchemas", "allOf", "anyOf", "oneOf" -> i++;
          default -> {
            // $ref, if, then, else, not: same instance
          }
        }
      }
      return instance.subList(0, Math.max(0, instance.size() - steps));
    }

    /** The violation: where, and which rule, never the value. */
    Violation toViolation() {
      String keyword = keyword() == null ? "" : keyword();
      return switch (keyword) {
        case "required" -> {
          List<String> field = new ArrayList<>(instance);
          field.add(missingProperty());
          yield new Violation(pointer(field), "is required");
        }
        case "dependentRequired" -> {
          List<String> field = new ArrayList<>(instance);
          field.add(argument(0));
          yield new Violation(pointer(field), "is required when " + argument(1) + " is present");
        }
        case "additionalProperties", "unevaluatedProperties" -> {
          List<String> field = new ArrayList<>(instance);
          field.add(error.getProperty() != null ? error.getProperty() : argument(0));
          yield new Violation(pointer(field), "is not allowed");
        }
        default -> new Violation(pointer(instance), detail(keyword));
      };
    }

    private String detail(String keyword) {
      return switch (keyword) {
        case "type" -> "must be of type " + argument(1);
        case "enum" -> "must be one of " + argument(0).replace("\"", "");
        case "const" -> "must be " + constant();
        case "pattern" -> "must match pattern " + argument(0);
        case "format" -> "must be a valid " + argument(0);
        case "minLength" -> "must be at least " + argument(0) + " characters long";
        case "maxLength" -> "must be at most " + argument(0) + " characters long";
        case "minimum" -> "must be at least " + argument(0);
        case "maximum" -> "must be at most " + argument(0);
        case "exclusiveMinimum" -> "must be greater than " + argument(0);
        case "exclusiveMaximum" -> "must be less than " + argument(0);
        case "multipleOf" -> "must be a multiple of " + argument(0);
        case "minItems" -> "must have at least " + argument(0) + " item(s)";
        case "maxItems" -> "must have at most " + argument(0) + " item(s)";
        case "uniqueItems" -> "must not contain duplicate items";
        case "minProperties" -> "must have at least " + argument(0) + " properties";
        case "maxProperties" -> "must have at most " + argument(0) + " properties";
        case "false" -> "is not allowed";
        case "not" -> "must not match the forbidden schema";
        case "oneOf" -> "must match exactly one of the allowed forms";
        case "anyOf" -> "must match at least one of the allowed forms";
        default -> "violates the schema rule '" + keyword + "'";
      };
    }

    private String constant() {
      JsonNode value = error.getSchemaNode();
      return value != null && value.isValueNode() ? value.toString() : argument(0);
    }
  }
}
