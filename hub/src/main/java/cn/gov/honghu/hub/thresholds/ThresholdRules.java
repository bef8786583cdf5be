package cn.gov.honghu.hub.thresholds;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The criminal-threshold rules (THRESHOLDS.md), loaded from a rules file ({@code
 * rules/thresholds.yml} ships with the hub). The file holds every clause's offence, legal source
 * and amounts; Java knows only which amounts each clause id needs.
 *
 * <p>Important: a bad file is refused with an {@link IllegalArgumentException} naming the entry
 * (unknown or duplicate ids, unknown fields, missing, non-numeric, zero or negative amounts). A
 * silently ignored typo would let cases that meet a threshold pass without a transfer.
 */
public final class ThresholdRules {

  /** The rules file that ships with the hub. */
  public static final String SHIPPED = "rules/hub-rules.yml";

  static final String ILLEGAL_FISHING = "ILLEGAL_FISHING";
  static final String ILLEGAL_CATCH_TRADE = "ILLEGAL_CATCH_TRADE";
  static final String POLLUTION = "POLLUTION";
  static final String ILLEGAL_MINING = "ILLEGAL_MINING";
  static final String FARMLAND_OCCUPATION = "FARMLAND_OCCUPATION";

  /** The flag raised whenever any clause is met. */
  public static final String CRIMINAL_THRESHOLD_MET = "CRIMINAL_THRESHOLD_MET";

  public static final String REPEAT_WITHIN_2Y = "REPEAT_WITHIN_2Y";
  public static final String ORGANISED = "ORGANISED";

  private static final Set<String> TOP_KEYS =
      Set.of("version", "bannedMethods", "flags", "clauses");
  private static final Set<String> COMMON_KEYS = Set.of("id", "offence", "source");

  /** What each known clause needs: its offence, its amount fields and its list field, if any. */
  private record Shape(String offence, List<String> amounts, String list) {}

  private static final Map<String, Shape> CLAUSES = new LinkedHashMap<>();
  private static final Map<String, Shape> FLAGS = new LinkedHashMap<>();

  static {
    CLAUSES.put("FISH-1", new Shape(ILLEGAL_FISHING, List.of("catchKg", "catchValueYuan"), null));
    CLAUSES.put("FISH-2", new Shape(ILLEGAL_FISHING, List.of("catchKg", "catchValueYuan"), null));
    CLAUSES.put("FISH-3", new Shape(ILLEGAL_FISHING, List.of(), "methods"));
    CLAUSES.put("FISH-4", new Shape(ILLEGAL_FISHING, List.of(), "methods"));
    CLAUSES.put("TRADE-1", new Shape(ILLEGAL_CATCH_TRADE, List.of(), null));
    CLAUSES.put("POL-1", new Shape(POLLUTION, List.of(), null));
    CLAUSES.put("POL-2", new Shape(POLLUTION, List.of("hazardousWasteTonnes"), null));
    CLAUSES.put("POL-3", new Shape(POLLUTION, List.of("multiple"), "pollutants"));
    CLAUSES.put("POL-4", new Shape(POLLUTION, List.of("multiple"), "pollutants"));
    CLAUSES.put("POL-5", new Shape(POLLUTION, List.of(), null));
    CLAUSES.put("POL-6", new Shape(POLLUTION, List.of(), null));
    CLAUSES.put("POL-7", new Shape(POLLUTION, List.of("lossYuan", "illegalGainYuan"), null));
    CLAUSES.put("POL-8", new Shape(POLLUTION, List.of("intakeInterruptedHours"), null));
    CLAUSES.put("POL-9", new Shape(POLLUTION, List.of("priorPenaltiesWithin2Years"), null));
    CLAUSES.put("MIN-1", new Shape(ILLEGAL_MINING, List.of("mineralValueYuan"), null));
    CLAUSES.put("MIN-2", new Shape(ILLEGAL_MINING, List.of("mineralValueYuan"), null));
    CLAUSES.put("MIN-3", new Shape(ILLEGAL_MINING, List.of(), null));
    CLAUSES.put("MIN-4", new Shape(ILLEGAL_MINING, List.of("priorPenaltiesWithin2Years"), null));
    CLAUSES.put(
        "LAND-1",
        new Shape(FARMLAND_OCCUPATION, List.of("basicFarmlandMu", "otherCultivatedMu"), null));
    CLAUSES.put(
        "LAND-2",
        new Shape(
            FARMLAND_OCCUPATION,
            List.of("publicForestMu", "commercialForestMu", "halvedWhenPriorPenaltiesWithin2Years"),
            null));
    FLAGS.put(
        REPEAT_WITHIN_2Y, new Shape(ILLEGAL_FISHING, List.of("priorPenaltiesWithin2Years"), null));
    FLAGS.put(ORGANISED, new Shape(ILLEGAL_FISHING, List.of("organisedBoats"), null));
  }

  private static final Set<String> OFFENCES =
      Set.of(
          ILLEGAL_FISHING,
          ILLEGAL_CATCH_TRADE,
          POLLUTION,
          ILLEGAL_MINING,
          FARMLAND_OCCUPATION,
          "OTHER");

  /** One clause (or flag) as the file states it. */
  public record Clause(
      String id,
      String offence,
      String source,
      Map<String, BigDecimal> amounts,
      List<String> values) {

    public Clause {
      amounts = Map.copyOf(amounts);
      values = List.copyOf(values);
    }

    /** The named amount; the loader guarantees it is present for the clause's shape. */
    public BigDecimal amount(String name) {
      BigDecimal value = amounts.get(name);
      if (value == null) {
        throw new IllegalStateException(id + " has no amount " + name);
      }
      return value;
    }
  }

  private final String version;
  private final List<String> bannedMethods;
  private final Map<String, Clause> clauses;
  private final Map<String, Clause> flags;

  private ThresholdRules(
      String version,
      List<String> bannedMethods,
      Map<String, Clause> clauses,
      Map<String, Clause> flags) {
    this.version = version;
    this.bannedMethods = List.copyOf(bannedMethods);
    this.clauses = clauses;
    this.flags = flags;
  }

  public String version() {
    return version;
  }

  /** Gear or methods that satisfy precondition P of the FISH clauses. */
  public List<String> bannedMethods() {
    return bannedMethods;
  }

  /** Every clause in file order. */
  public List<Clause> clauses() {
    return List.copyOf(clauses.values());
  }

  public Clause clause(String id) {
    Clause clause = clauses.get(id);
    if (clause == null) {
      throw new IllegalArgumentException("unknown clause " + id);
    }
    return clause;
  }

  public Clause flag(String id) {
    Clause flag = flags.get(id);
    if (flag == null) {
      throw new IllegalArgumentException("unknown flag " + id);
    }
    return flag;
  }

  /** Loads the rules that ship with the hub. */
  public static ThresholdRules shipped() {
    InputStream in = ThresholdRules.class.getClassLoader().getResourceAsStream(SHIPPED);
    if (in == null) {
      throw new IllegalStateException(SHIPPED + " is missing from the classpath");
    }
    try (in) {
      return fromSections(
          (Map<?, ?>) new Yaml(new SafeConstructor(new LoaderOptions())).load(in), SHIPPED);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + SHIPPED, e);
    }
  }

  /** Loads and checks a rules file; {@code source} names it in error messages. */
  public static ThresholdRules load(InputStream in, String source) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    Map<String, Object> top = map(root, source);
    checkKeys(top, TOP_KEYS, source);
    return fromSections(top, source);
  }

  /** Reads this package's sections of a bigger rules file; other top-level keys are ignored. */
  public static ThresholdRules fromSections(Map<?, ?> sections, String source) {
    Map<String, Object> top = map(sections, source);
    Object version = top.get("version");
    if (version == null) {
      throw new IllegalArgumentException(source + ": version is missing");
    }
    List<String> banned = strings(top.get("bannedMethods"), source + " bannedMethods");
    Map<String, Clause> clauses = entries(top.get("clauses"), CLAUSES, source + " clauses");
    Map<String, Clause> flags = entries(top.get("flags"), FLAGS, source + " flags");
    return new ThresholdRules(String.valueOf(version), banned, clauses, flags);
  }

  private static Map<String, Clause> entries(Object raw, Map<String, Shape> shapes, String where) {
    if (!(raw instanceof List<?> list)) {
      throw new IllegalArgumentException(where + ": must be a list");
    }
    Map<String, Clause> result = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Map<String, Object> entry = map(list.get(i), where + "[" + i + "]");
      Object rawId = entry.get("id");
      if (!(rawId instanceof String id) || id.isBlank()) {
        throw new IllegalArgumentException(where + "[" + i + "]: id is missing");
      }
      String name = where + " " + id;
      Shape shape = shapes.get(id);
      if (shape == null) {
        throw new IllegalArgumentException(name + ": unknown id " + id);
      }
      if (result.containsKey(id)) {
        throw new IllegalArgumentException(name + ": duplicate id " + id);
      }
      Set<String> allowed = new LinkedHashSet<>(COMMON_KEYS);
      allowed.addAll(shape.amounts());
      if (shape.list() != null) {
        allowed.add(shape.list());
      }
      checkKeys(entry, allowed, name);
      Object offence = entry.get("offence");
      if (!(offence instanceof String o) || !OFFENCES.contains(o)) {
        throw new IllegalArgumentException(name + ": unknown offence " + offence);
      }
      if (!shape.offence().equals(offence)) {
        throw new IllegalArgumentException(
            name + ": offence must be " + shape.offence() + ", not " + offence);
      }
      Object src = entry.get("source");
      if (!(src instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(name + ": source is missing");
      }
      Map<String, BigDecimal> amounts = new LinkedHashMap<>();
      for (String field : shape.amounts()) {
        amounts.put(field, amount(entry.get(field), name + " " + field));
      }
      List<String> values =
          shape.list() == null
              ? List.of()
              : strings(entry.get(shape.list()), name + " " + shape.list());
      result.put(id, new Clause(id, shape.offence(), s, amounts, values));
    }
    for (String id : shapes.keySet()) {
      if (!result.containsKey(id)) {
        throw new IllegalArgumentException(where + " " + id + ": missing");
      }
    }
    return result;
  }

  private static BigDecimal amount(Object raw, String where) {
    BigDecimal value;
    if (raw instanceof Integer || raw instanceof Long || raw instanceof BigInteger) {
      value = new BigDecimal(raw.toString());
    } else if (raw instanceof Double d && Double.isFinite(d)) {
      value = BigDecimal.valueOf(d);
    } else {
      throw new IllegalArgumentException(where + ": amount must be a number, got " + raw);
    }
    if (value.signum() <= 0) {
      throw new IllegalArgumentException(where + ": amount must be positive, got " + raw);
    }
    return value;
  }

  private static List<String> strings(Object raw, String where) {
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(where + ": must be a non-empty list");
    }
    List<String> result = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(where + ": not a name: " + item);
      }
      result.add(s);
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object raw, String where) {
    if (!(raw instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(where + ": must be a mapping");
    }
    return (Map<String, Object>) raw;
  }

  private static void checkKeys(Map<String, Object> entry, Set<String> allowed, String where) {
    for (Object key : entry.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(where + ": unknown field " + key);
      }
    }
  }
}
