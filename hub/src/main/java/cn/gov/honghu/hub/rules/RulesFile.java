package cn.gov.honghu.hub.rules;

import cn.gov.honghu.hub.deadlines.DeadlineRules;
import cn.gov.honghu.hub.legal.LawRegistry;
import cn.gov.honghu.hub.routing.RoutingRules;
import cn.gov.honghu.hub.thresholds.ThresholdRules;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The rules file (HUB-SPEC section 5, THRESHOLDS.md): one versioned YAML file whose sections each
 * feature package reads itself. This class reads the file once, refuses unknown top-level keys and
 * duplicate keys, and keeps the parsed document so that {@code GET /admin/v1/rules} shows exactly
 * what is in force.
 *
 * <p>Important: every loader throws {@link IllegalArgumentException} naming the bad entry; the hub
 * does not start on a bad file, because a silently ignored typo would let a criminal case stop at a
 * fine unnoticed.
 */
public final class RulesFile {

  /** The rules file that ships inside the hub. */
  public static final String SHIPPED = "rules/hub-rules.yml";

  private static final Set<String> TOP_KEYS =
      Set.of(
          "version",
          "penaltyCopyWithinDays",
          "common",
          "routes",
          "bannedMethods",
          "conditions",
          "clauses",
          "flags",
          "laws",
          "deadlines");

  private final String source;
  private final Map<String, Object> document;
  private final RoutingRules routing;
  private final ThresholdRules thresholds;
  private final LawRegistry laws;
  private final DeadlineRules deadlines;

  private RulesFile(String source, Map<String, Object> document) {
    this.source = source;
    this.document = Collections.unmodifiableMap(document);
    this.routing = RoutingRules.fromSections(document, source);
    this.thresholds = ThresholdRules.fromSections(document, source);
    this.laws = LawRegistry.fromSections(document, source);
    this.deadlines = DeadlineRules.fromSections(document, source);
  }

  /** Reads and checks a rules file; {@code source} names it in every error message. */
  public static RulesFile load(InputStream in, String source) throws IOException {
    Object root;
    try (in) {
      // Exact decimals (amounts are never binary floating point) and no repeated keys.
      root = ThresholdRules.yaml().load(in);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(
          "Invalid rules file " + source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException(
          "Invalid rules file " + source + ": the file is not a YAML mapping");
    }
    Map<String, Object> document = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : top.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (!TOP_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "Invalid rules file " + source + ": unknown top-level key '" + key + "'");
      }
      document.put(key, entry.getValue());
    }
    return new RulesFile(source, document);
  }

  /** The rules file shipped on the classpath. */
  public static RulesFile shipped() {
    InputStream in = RulesFile.class.getClassLoader().getResourceAsStream(SHIPPED);
    if (in == null) {
      throw new IllegalStateException(SHIPPED + " is missing from the classpath");
    }
    try {
      return load(in, SHIPPED);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + SHIPPED, e);
    }
  }

  public String version() {
    return routing.version();
  }

  public String source() {
    return source;
  }

  /** The file as parsed (plain maps and lists), for the admin view. */
  public Map<String, Object> document() {
    return document;
  }

  public RoutingRules routing() {
    return routing;
  }

  public ThresholdRules thresholds() {
    return thresholds;
  }

  public LawRegistry laws() {
    return laws;
  }

  public DeadlineRules deadlines() {
    return deadlines;
  }
}
