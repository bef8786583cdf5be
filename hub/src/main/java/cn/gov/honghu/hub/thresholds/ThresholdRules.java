package cn.gov.honghu.hub.thresholds;

import cn.gov.honghu.hub.thresholds.Condition.AllOf;
import cn.gov.honghu.hub.thresholds.Condition.AnyOf;
import cn.gov.honghu.hub.thresholds.Condition.AtLeast;
import cn.gov.honghu.hub.thresholds.Condition.In;
import cn.gov.honghu.hub.thresholds.Condition.IsTrue;
import cn.gov.honghu.hub.thresholds.Condition.Ref;
import cn.gov.honghu.hub.thresholds.Condition.Some;
import cn.gov.honghu.hub.yaml.RulesYaml;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The criminal-threshold rules (THRESHOLDS.md), read from the threshold sections of the rules file
 * ({@code rules/hub-rules.yml} ships with the hub). Every clause and flag states its offence, legal
 * source and condition in the file's condition language ({@link Condition}), so a new clause of an
 * existing kind or a province's amount is a change of the file, never of Java.
 *
 * <p>Important: a bad file is refused with an {@link IllegalArgumentException} naming the entry
 * (unknown fields, duplicate or malformed ids, missing parts, unknown offences or condition names,
 * non-numeric, zero or negative amounts, malformed conditions). A silently ignored typo would let
 * cases that meet a threshold pass without a transfer.
 */
public final class ThresholdRules {

  /** The rules file that ships with the hub. */
  public static final String SHIPPED = "rules/hub-rules.yml";

  /** The flag raised whenever any clause is met; no rule of the file may take this id. */
  public static final String CRIMINAL_THRESHOLD_MET = "CRIMINAL_THRESHOLD_MET";

  private static final Set<String> OFFENCES =
      Set.of(
          "ILLEGAL_FISHING",
          "ILLEGAL_CATCH_TRADE",
          "POLLUTION",
          "ILLEGAL_MINING",
          "FARMLAND_OCCUPATION",
          "OTHER");

  private static final Pattern CLAUSE_ID = Pattern.compile("[A-Z]+-[0-9]+");
  private static final Pattern FLAG_ID = Pattern.compile("[A-Z0-9_]+");

  private static final String BANNED_METHODS = "bannedMethods";
  private static final Set<String> FILE_KEYS =
      Set.of("version", BANNED_METHODS, "conditions", "clauses", "flags");

  private static final List<String> OPERATORS = List.of("atLeast", "isTrue", "in");

  /** A condition's kind is named by exactly one key; these are the keys each kind may have. */
  private static final Map<String, List<String>> KINDS = kinds();

  private static Map<String, List<String>> kinds() {
    Map<String, List<String>> kinds = new LinkedHashMap<>();
    kinds.put("fact", Stream.concat(Stream.of("fact"), OPERATORS.stream()).toList());
    kinds.put("allOf", List.of("allOf"));
    kinds.put("anyOf", List.of("anyOf"));
    kinds.put("some", List.of("some", "where"));
    kinds.put("ref", List.of("ref"));
    return Collections.unmodifiableMap(kinds);
  }

  private static final Set<String> CONDITION_KEYS =
      Set.copyOf(KINDS.values().stream().flatMap(List::stream).toList());

  /** While {@code when} holds, every amount of the rule's condition is multiplied by {@code by}. */
  public record ScaleAmounts(BigDecimal by, Condition when) {

    public ScaleAmounts {
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(when, "when");
    }
  }

  /**
   * A clause or a flag: it applies only to facts of its {@code offence}; {@code source} is its
   * legal basis, shown to reviewers; {@code scaleAmounts} is null when the amounts never change.
   */
  public record Rule(
      String id, String offence, String source, Condition condition, ScaleAmounts scaleAmounts) {

    public Rule {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(offence, "offence");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(condition, "condition");
    }

    /** Whether facts of this rule's offence meet it. */
    boolean holds(Function<String, JsonNode> facts) {
      BigDecimal scale =
          scaleAmounts != null && scaleAmounts.when().holds(facts, BigDecimal.ONE)
              ? scaleAmounts.by()
              : BigDecimal.ONE;
      return condition.holds(facts, scale);
    }

    /** This rule as plain maps and lists (for JSON). */
    public Map<String, Object> describe() {
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("id", id);
      described.put("offence", offence);
      described.put("source", source);
      described.put("condition", condition.describe());
      if (scaleAmounts != null) {
        Map<String, Object> scale = new LinkedHashMap<>();
        scale.put("by", scaleAmounts.by());
        scale.put("when", scaleAmounts.when().describe());
        described.put("scaleAmounts", scale);
      }
      return described;
    }
  }

  private final String version;
  private final List<String> bannedMethods;
  private final Map<String, Condition> conditions;
  private final Map<String, Rule> clauses;
  private final Map<String, Rule> flags;

  private ThresholdRules(
      String version,
      List<String> bannedMethods,
      Map<String, Condition> conditions,
      Map<String, Rule> clauses,
      Map<String, Rule> flags) {
    this.version = version;
    this.bannedMethods = List.copyOf(bannedMethods);
    this.conditions = Collections.unmodifiableMap(new LinkedHashMap<>(conditions));
    this.clauses = Collections.unmodifiableMap(new LinkedHashMap<>(clauses));
    this.flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
  }

  public String version() {
    return version;
  }

  /** Every clause in file order. */
  public List<Rule> clauses() {
    return List.copyOf(clauses.values());
  }

  /** Every aggravating flag in file order. */
  public List<Rule> flags() {
    return List.copyOf(flags.values());
  }

  public Rule clause(String id) {
    Rule clause = clauses.get(id);
    if (clause == null) {
      throw new IllegalArgumentException("unknown clause " + id);
    }
    return clause;
  }

  public Rule flag(String id) {
    Rule flag = flags.get(id);
    if (flag == null) {
      throw new IllegalArgumentException("unknown flag " + id);
    }
    return flag;
  }

  /**
   * The active rules as plain maps and lists, for an admin endpoint to serialise: {@code version},
   * {@code bannedMethods}, the named {@code conditions}, then {@code clauses} and {@code flags},
   * each with id, offence, source, condition (and scaleAmounts where set).
   */
  public Map<String, Object> describe() {
    Map<String, Object> named = new LinkedHashMap<>();
    conditions.forEach((name, condition) -> named.put(name, condition.describe()));
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("version", version);
    described.put(BANNED_METHODS, bannedMethods);
    described.put("conditions", named);
    described.put("clauses", clauses.values().stream().map(Rule::describe).toList());
    described.put("flags", flags.values().stream().map(Rule::describe).toList());
    return described;
  }

  /** Loads the threshold sections of the rules file that ships with the hub. */
  public static ThresholdRules shipped() {
    InputStream in = ThresholdRules.class.getClassLoader().getResourceAsStream(SHIPPED);
    if (in == null) {
      throw new IllegalStateException(SHIPPED + " is missing from the classpath");
    }
    return fromSections(RulesYaml.read(in, SHIPPED + ": "), SHIPPED);
  }

  /**
   * Loads and checks a thresholds file, which holds nothing but {@code version} and the threshold
   * sections; {@code source} names it in error messages.
   */
  public static ThresholdRules load(InputStream in, String source) {
    JsonNode top = RulesYaml.read(in, source + ": ");
    if (!top.isObject()) {
      throw new IllegalArgumentException(source + ": must be a mapping");
    }
    for (String key : top.propertyNames()) {
      if (!FILE_KEYS.contains(key)) {
        throw new IllegalArgumentException(source + ": unknown field '" + key + "'");
      }
    }
    return fromSections(top, source);
  }

  /**
   * Reads the threshold sections ({@code bannedMethods}, {@code conditions}, {@code clauses},
   * {@code flags}) and {@code version} of a parsed rules file, ignoring its other top-level keys,
   * so the sections can sit in a larger rules file. Read the file with {@link RulesYaml}: its
   * amounts are exact decimals.
   */
  public static ThresholdRules fromSections(JsonNode top, String source) {
    Sections sections = RulesYaml.bind(top, Sections.class, source + ": ");
    return new Loader(source, sections.bannedMethods()).load(sections);
  }

  /** The threshold sections as the file writes them; conditions are read by {@link Loader}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Sections(
      @NotNull(message = "is missing") String version,
      @NotEmpty(message = "must be a non-empty list") List<@NotBlank String> bannedMethods,
      LinkedHashMap<String, JsonNode> conditions,
      @NotNull(message = "must be a list") List<@Valid RuleEntry> clauses,
      List<@Valid RuleEntry> flags) {}

  /** A clause or flag as written: its own fields; every other key belongs to its condition. */
  private record RuleEntry(
      @NotBlank(message = "is missing") String id,
      @NotBlank(message = "is missing") String offence,
      @NotBlank(message = "is missing") String source,
      JsonNode scaleAmounts,
      @JsonAnySetter Map<String, JsonNode> condition) {}

  /** Where in the file a problem is: an entry and a path inside its condition. */
  private record At(String entry, String path) {

    At child(String step) {
      return new At(entry, path.isEmpty() ? step : path + "." + step);
    }

    IllegalArgumentException fail(String problem) {
      return new IllegalArgumentException(
          (path.isEmpty() ? entry : entry + " " + path) + ": " + problem);
    }
  }

  /**
   * One pass over a file's rules; it remembers names and ids seen so far. The condition language is
   * read here from the YAML tree: a condition's kind is named by its keys.
   */
  private static final class Loader {

    private final String source;
    private final List<String> bannedMethods;
    private final Map<String, Condition> named = new LinkedHashMap<>();
    private final Set<String> ids = new HashSet<>();

    Loader(String source, List<String> bannedMethods) {
      this.source = source;
      this.bannedMethods = bannedMethods;
    }

    ThresholdRules load(Sections sections) {
      if (sections.conditions() != null) {
        // Each may refer only to names above it, so no reference can loop.
        sections
            .conditions()
            .forEach((name, raw) -> named.put(name, condition(raw, section("conditions." + name))));
      }
      Map<String, Rule> clauses = rules(sections.clauses(), "clauses", CLAUSE_ID);
      Map<String, Rule> flags =
          sections.flags() == null ? Map.of() : rules(sections.flags(), "flags", FLAG_ID);
      return new ThresholdRules(sections.version(), bannedMethods, named, clauses, flags);
    }

    private At section(String name) {
      return new At(source + ": " + name, "");
    }

    private Map<String, Rule> rules(List<RuleEntry> entries, String section, Pattern idPattern) {
      Map<String, Rule> rules = new LinkedHashMap<>();
      for (int i = 0; i < entries.size(); i++) {
        RuleEntry entry = entries.get(i);
        At at = new At(source + ": " + RulesYaml.entry(section, i, entry.id()), "");
        rules.put(entry.id(), rule(entry, idPattern, at));
      }
      return rules;
    }

    private Rule rule(RuleEntry entry, Pattern idPattern, At at) {
      String id = entry.id();
      if (!idPattern.matcher(id).matches()) {
        throw at.fail("id '" + id + "' must match " + idPattern.pattern());
      }
      if (id.equals(CRIMINAL_THRESHOLD_MET)) {
        throw at.fail("id '" + id + "' is reserved for the hub");
      }
      if (!ids.add(id)) {
        throw at.fail("duplicate id '" + id + "' (clauses and flags share one id space)");
      }
      if (!OFFENCES.contains(entry.offence())) {
        throw at.fail("unknown offence '" + entry.offence() + "'");
      }
      if (entry.condition() == null || entry.condition().isEmpty()) {
        throw at.fail("condition is missing (one of " + String.join(", ", KINDS.keySet()) + ")");
      }
      ObjectNode condition = JsonNodeFactory.instance.objectNode();
      condition.setAll(entry.condition());
      ScaleAmounts scale =
          entry.scaleAmounts() == null
              ? null
              : scaleAmounts(entry.scaleAmounts(), at.child("scaleAmounts"));
      return new Rule(id, entry.offence(), entry.source(), condition(condition, at), scale);
    }

    private ScaleAmounts scaleAmounts(JsonNode raw, At at) {
      JsonNode fields = mapping(raw, at);
      for (String key : fields.propertyNames()) {
        if (!"by".equals(key) && !"when".equals(key)) {
          throw at.fail("unknown field '" + key + "'");
        }
      }
      return new ScaleAmounts(
          amount(fields.get("by"), at, "by"), condition(fields.get("when"), at.child("when")));
    }

    private Condition condition(JsonNode raw, At at) {
      JsonNode fields = mapping(raw, at);
      for (String key : fields.propertyNames()) {
        if (!CONDITION_KEYS.contains(key)) {
          throw at.fail("unknown field '" + key + "'");
        }
      }
      List<String> kinds = KINDS.keySet().stream().filter(fields::has).toList();
      if (kinds.isEmpty()) {
        throw at.fail("no condition: expected one of " + String.join(", ", KINDS.keySet()));
      }
      if (kinds.size() > 1) {
        throw at.fail(
            "one condition per mapping, found " + kinds + ": combine them with allOf or anyOf");
      }
      String kind = kinds.get(0);
      for (String key : fields.propertyNames()) {
        if (!KINDS.get(kind).contains(key)) {
          throw at.fail("'" + key + "' does not go with '" + kind + "'");
        }
      }
      return switch (kind) {
        case "fact" -> fact(fields, at);
        case "allOf" -> new AllOf(conditions(fields, "allOf", at));
        case "anyOf" -> new AnyOf(conditions(fields, "anyOf", at));
        case "some" ->
            new Some(name(fields.get("some"), at, "some"), conditions(fields, "where", at));
        default -> ref(fields, at);
      };
    }

    private Condition fact(JsonNode fields, At at) {
      String fact = name(fields.get("fact"), at, "fact");
      List<String> operators = OPERATORS.stream().filter(fields::has).toList();
      if (operators.size() != 1) {
        throw at.fail(
            "fact '"
                + fact
                + "' needs exactly one operator of "
                + String.join(", ", OPERATORS)
                + ", found "
                + operators);
      }
      JsonNode operand = fields.get(operators.get(0));
      return switch (operators.get(0)) {
        case "atLeast" -> new AtLeast(fact, amount(operand, at, "atLeast"));
        case "isTrue" -> {
          if (!operand.isBoolean() || !operand.booleanValue()) {
            throw at.fail("'isTrue' must be true, got " + shown(operand));
          }
          yield new IsTrue(fact);
        }
        default -> new In(fact, values(operand, at));
      };
    }

    /** The list of {@code in}: written out, or {@code $bannedMethods}. */
    private List<String> values(JsonNode raw, At at) {
      if (raw.isString() && raw.stringValue().startsWith("$")) {
        if (!raw.stringValue().equals("$" + BANNED_METHODS)) {
          throw at.fail("unknown list '" + raw.stringValue() + "' (only $" + BANNED_METHODS + ")");
        }
        return bannedMethods;
      }
      if (!raw.isArray() || raw.isEmpty()) {
        throw at.fail("'in' must be a non-empty list, got " + shown(raw));
      }
      List<String> names = new ArrayList<>();
      for (JsonNode item : raw) {
        names.add(name(item, at, "in[" + names.size() + "]"));
      }
      return names;
    }

    private Condition ref(JsonNode fields, At at) {
      String name = name(fields.get("ref"), at, "ref");
      Condition target = named.get(name);
      if (target == null) {
        throw at.fail(
            "unknown condition '" + name + "' (a named condition must be defined above its use)");
      }
      return new Ref(name, target);
    }

    private List<Condition> conditions(JsonNode fields, String key, At at) {
      JsonNode list = fields.get(key);
      if (list == null || !list.isArray() || list.isEmpty()) {
        throw at.fail("'" + key + "' must be a non-empty list of conditions");
      }
      List<Condition> conditions = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        conditions.add(condition(list.get(i), at.child(key + "[" + i + "]")));
      }
      return conditions;
    }
  }

  private static JsonNode mapping(JsonNode raw, At at) {
    if (raw == null || raw.isNull()) {
      throw at.fail("is missing");
    }
    if (!raw.isObject()) {
      throw at.fail("must be a mapping, got " + shown(raw));
    }
    return raw;
  }

  private static String name(JsonNode raw, At at, String key) {
    if (raw == null || !raw.isString() || raw.stringValue().isBlank()) {
      throw at.fail("'" + key + "' must be a name, got " + shown(raw));
    }
    return raw.stringValue();
  }

  /** An exact, positive amount (the file is read with exact decimals). */
  private static BigDecimal amount(JsonNode raw, At at, String key) {
    if (raw == null || !raw.isNumber()) {
      throw at.fail("'" + key + "' must be a number, got " + shown(raw));
    }
    BigDecimal value = raw.decimalValue();
    if (value.signum() <= 0) {
      throw at.fail("'" + key + "' must be positive, got " + value.toPlainString());
    }
    return value;
  }

  private static String shown(JsonNode raw) {
    if (raw == null) {
      return "null";
    }
    return raw.isString() ? "'" + raw.stringValue() + "'" : raw.toString();
  }
}
