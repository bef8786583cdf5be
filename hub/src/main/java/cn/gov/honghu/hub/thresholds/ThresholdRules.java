package cn.gov.honghu.hub.thresholds;

import cn.gov.honghu.hub.thresholds.Condition.AllOf;
import cn.gov.honghu.hub.thresholds.Condition.AnyOf;
import cn.gov.honghu.hub.thresholds.Condition.AtLeast;
import cn.gov.honghu.hub.thresholds.Condition.In;
import cn.gov.honghu.hub.thresholds.Condition.IsTrue;
import cn.gov.honghu.hub.thresholds.Condition.Ref;
import cn.gov.honghu.hub.thresholds.Condition.Some;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.databind.JsonNode;

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
  private static final Set<String> RULE_KEYS = Set.of("id", "offence", "source", "scaleAmounts");

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
    try (in) {
      return fromSections((Map<?, ?>) yaml().load(in), SHIPPED);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + SHIPPED, e);
    }
  }

  /**
   * Loads and checks a thresholds file, which holds nothing but {@code version} and the threshold
   * sections; {@code source} names it in error messages.
   */
  public static ThresholdRules load(InputStream in, String source) {
    Object root;
    try {
      root = yaml().load(in);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException(source + ": must be a mapping");
    }
    for (Object key : top.keySet()) {
      if (!FILE_KEYS.contains(key)) {
        throw new IllegalArgumentException(source + ": unknown field '" + key + "'");
      }
    }
    return fromSections(top, source);
  }

  /**
   * Reads the threshold sections ({@code bannedMethods}, {@code conditions}, {@code clauses},
   * {@code flags}) and {@code version} of a parsed rules file, ignoring its other top-level keys,
   * so the sections can sit in a larger rules file. Parse that file with {@link #yaml()}: amounts
   * parsed as binary doubles are refused.
   */
  public static ThresholdRules fromSections(Map<?, ?> top, String source) {
    return new Loader(source).load(top);
  }

  /**
   * A safe YAML reader that parses decimal scalars as exact {@link BigDecimal}s (from the scalar's
   * text, never through a double); {@code .inf}, {@code .nan} and base-60 floats stay text. A key
   * repeated in one mapping is refused.
   */
  public static Yaml yaml() {
    return new Yaml(new ExactDecimals());
  }

  private static LoaderOptions strict() {
    LoaderOptions options = new LoaderOptions();
    // A repeated key would silently replace the first (two atLeast of one fact, two clauses:)
    options.setAllowDuplicateKeys(false);
    return options;
  }

  private static final class ExactDecimals extends SafeConstructor {

    ExactDecimals() {
      super(strict());
      yamlConstructors.put(
          Tag.FLOAT,
          new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
              String text = ((ScalarNode) node).getValue();
              try {
                return new BigDecimal(text.replace("_", ""));
              } catch (NumberFormatException e) {
                return text;
              }
            }
          });
    }
  }

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

  /** One pass over a file's sections; it remembers names and ids seen so far. */
  private static final class Loader {

    private final String source;
    private final Map<String, Condition> named = new LinkedHashMap<>();
    private final Set<String> ids = new HashSet<>();
    private List<String> bannedMethods = List.of();

    Loader(String source) {
      this.source = source;
    }

    ThresholdRules load(Map<?, ?> top) {
      Object version = top.get("version");
      if (version == null) {
        throw new IllegalArgumentException(source + ": version is missing");
      }
      bannedMethods = names(top.get(BANNED_METHODS), section(BANNED_METHODS), BANNED_METHODS);
      namedConditions(top.get("conditions"));
      Map<String, Rule> clauses = rules(top.get("clauses"), "clauses", CLAUSE_ID);
      Map<String, Rule> flags =
          top.containsKey("flags") ? rules(top.get("flags"), "flags", FLAG_ID) : Map.of();
      return new ThresholdRules(String.valueOf(version), bannedMethods, named, clauses, flags);
    }

    private At section(String name) {
      return new At(source + ": " + name, "");
    }

    /** Named conditions; each may refer only to names above it, so no reference can loop. */
    private void namedConditions(Object raw) {
      if (raw == null) {
        return;
      }
      if (!(raw instanceof Map<?, ?> map)) {
        throw section("conditions").fail("must be a mapping of names to conditions");
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String name) || name.isBlank()) {
          throw section("conditions").fail("a condition name must be text: " + entry.getKey());
        }
        named.put(name, condition(entry.getValue(), section("conditions." + name)));
      }
    }

    private Map<String, Rule> rules(Object raw, String section, Pattern idPattern) {
      if (!(raw instanceof List<?> list)) {
        throw section(section).fail("must be a list");
      }
      Map<String, Rule> rules = new LinkedHashMap<>();
      for (int i = 0; i < list.size(); i++) {
        String entry = source + ": " + section + "[" + i + "]";
        Map<?, ?> fields = mapping(list.get(i), new At(entry, ""));
        if (!(fields.get("id") instanceof String id) || id.isBlank()) {
          throw new At(entry, "").fail("id is missing");
        }
        Rule rule = rule(fields, id, idPattern, new At(entry + " (" + id + ")", ""));
        rules.put(id, rule);
      }
      return rules;
    }

    private Rule rule(Map<?, ?> fields, String id, Pattern idPattern, At at) {
      if (!idPattern.matcher(id).matches()) {
        throw at.fail("id '" + id + "' must match " + idPattern.pattern());
      }
      if (id.equals(CRIMINAL_THRESHOLD_MET)) {
        throw at.fail("id '" + id + "' is reserved for the hub");
      }
      if (!ids.add(id)) {
        throw at.fail("duplicate id '" + id + "' (clauses and flags share one id space)");
      }
      Object offence = fields.get("offence");
      if (offence == null) {
        throw at.fail("offence is missing");
      }
      if (!OFFENCES.contains(offence)) {
        throw at.fail("unknown offence '" + offence + "'");
      }
      if (!(fields.get("source") instanceof String legalSource) || legalSource.isBlank()) {
        throw at.fail("source is missing");
      }
      // The condition is written inline: every key that is not the rule's own belongs to it.
      Map<Object, Object> condition = new LinkedHashMap<>(fields);
      condition.keySet().removeAll(RULE_KEYS);
      if (condition.isEmpty()) {
        throw at.fail("condition is missing (one of " + String.join(", ", KINDS.keySet()) + ")");
      }
      ScaleAmounts scale =
          fields.containsKey("scaleAmounts")
              ? scaleAmounts(fields.get("scaleAmounts"), at.child("scaleAmounts"))
              : null;
      return new Rule(id, (String) offence, legalSource, condition(condition, at), scale);
    }

    private ScaleAmounts scaleAmounts(Object raw, At at) {
      Map<?, ?> fields = mapping(raw, at);
      for (Object key : fields.keySet()) {
        if (!"by".equals(key) && !"when".equals(key)) {
          throw at.fail("unknown field '" + key + "'");
        }
      }
      return new ScaleAmounts(
          amount(fields.get("by"), at, "by"), condition(fields.get("when"), at.child("when")));
    }

    private Condition condition(Object raw, At at) {
      Map<?, ?> fields = mapping(raw, at);
      for (Object key : fields.keySet()) {
        if (!CONDITION_KEYS.contains(key)) {
          throw at.fail("unknown field '" + key + "'");
        }
      }
      List<String> kinds = KINDS.keySet().stream().filter(fields::containsKey).toList();
      if (kinds.isEmpty()) {
        throw at.fail("no condition: expected one of " + String.join(", ", KINDS.keySet()));
      }
      if (kinds.size() > 1) {
        throw at.fail(
            "one condition per mapping, found " + kinds + ": combine them with allOf or anyOf");
      }
      String kind = kinds.get(0);
      for (Object key : fields.keySet()) {
        if (!KINDS.get(kind).contains(key)) {
          throw at.fail("'" + key + "' does not go with '" + kind + "'");
        }
      }
      return switch (kind) {
        case "fact" -> fact(fields, at);
        case "allOf" -> new AllOf(conditions(fields, "allOf", at));
        case "anyOf" -> new AnyOf(conditions(fields, "anyOf", at));
        case "some" -> some(fields, at);
        default -> ref(fields, at);
      };
    }

    private Condition fact(Map<?, ?> fields, At at) {
      String fact = name(fields.get("fact"), at, "fact");
      List<String> operators = OPERATORS.stream().filter(fields::containsKey).toList();
      if (operators.size() != 1) {
        throw at.fail(
            "fact '"
                + fact
                + "' needs exactly one operator of "
                + String.join(", ", OPERATORS)
                + ", found "
                + operators);
      }
      Object operand = fields.get(operators.get(0));
      return switch (operators.get(0)) {
        case "atLeast" -> new AtLeast(fact, amount(operand, at, "atLeast"));
        case "isTrue" -> {
          if (!Boolean.TRUE.equals(operand)) {
            throw at.fail("'isTrue' must be true, got " + shown(operand));
          }
          yield new IsTrue(fact);
        }
        default -> new In(fact, values(operand, at));
      };
    }

    /** The list of {@code in}: written out, or {@code $bannedMethods}. */
    private List<String> values(Object raw, At at) {
      if (raw instanceof String reference && reference.startsWith("$")) {
        if (!reference.equals("$" + BANNED_METHODS)) {
          throw at.fail("unknown list '" + reference + "' (only $" + BANNED_METHODS + ")");
        }
        return bannedMethods;
      }
      return names(raw, at, "in");
    }

    private Condition some(Map<?, ?> fields, At at) {
      String array = name(fields.get("some"), at, "some");
      return new Some(array, conditions(fields, "where", at));
    }

    private Condition ref(Map<?, ?> fields, At at) {
      String name = name(fields.get("ref"), at, "ref");
      Condition target = named.get(name);
      if (target == null) {
        throw at.fail(
            "unknown condition '" + name + "' (a named condition must be defined above its use)");
      }
      return new Ref(name, target);
    }

    private List<Condition> conditions(Map<?, ?> fields, String key, At at) {
      if (!(fields.get(key) instanceof List<?> list) || list.isEmpty()) {
        throw at.fail("'" + key + "' must be a non-empty list of conditions");
      }
      List<Condition> conditions = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        conditions.add(condition(list.get(i), at.child(key + "[" + i + "]")));
      }
      return conditions;
    }
  }

  private static Map<?, ?> mapping(Object raw, At at) {
    if (raw == null) {
      throw at.fail("is missing");
    }
    if (!(raw instanceof Map<?, ?> map)) {
      throw at.fail("must be a mapping, got " + shown(raw));
    }
    return map;
  }

  private static String name(Object raw, At at, String key) {
    if (!(raw instanceof String name) || name.isBlank()) {
      throw at.fail("'" + key + "' must be a name, got " + shown(raw));
    }
    return name;
  }

  private static List<String> names(Object raw, At at, String key) {
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw at.fail("'" + key + "' must be a non-empty list, got " + shown(raw));
    }
    List<String> names = new ArrayList<>();
    for (Object item : list) {
      names.add(name(item, at, key + "[" + names.size() + "]"));
    }
    return names;
  }

  /** An exact, positive amount; binary doubles are refused because they lose digits. */
  private static BigDecimal amount(Object raw, At at, String key) {
    BigDecimal value;
    if (raw instanceof BigDecimal decimal) {
      value = decimal;
    } else if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger) {
      value = new BigDecimal(raw.toString());
    } else if (raw instanceof Double || raw instanceof Float) {
      throw at.fail(
          "'"
              + key
              + "' was parsed as a binary double ("
              + raw
              + "); parse the file with ThresholdRules.yaml() to keep amounts exact");
    } else {
      throw at.fail("'" + key + "' must be a number, got " + shown(raw));
    }
    if (value.signum() <= 0) {
      throw at.fail("'" + key + "' must be positive, got " + value.toPlainString());
    }
    return value;
  }

  private static String shown(Object raw) {
    return raw instanceof String text ? "'" + text + "'" : String.valueOf(raw);
  }
}
