package cn.gov.honghu.hub.rules;

import cn.gov.honghu.hub.deadlines.DeadlineRules;
import cn.gov.honghu.hub.legal.LawRegistry;
import cn.gov.honghu.hub.routing.RoutingRules;
import cn.gov.honghu.hub.thresholds.ThresholdRules;
import cn.gov.honghu.hub.yaml.RulesYaml;
import java.io.InputStream;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

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
  private final String sha256;

  private RulesFile(String source, JsonNode top) {
    this.source = source;
    this.sha256 = cn.gov.honghu.hub.crypto.CanonicalJson.sha256(top);
    this.document = Collections.unmodifiableMap(RulesYaml.plain(top));
    this.routing = RoutingRules.fromSections(top, source);
    this.thresholds = ThresholdRules.fromSections(top, source);
    this.laws = LawRegistry.fromSections(top, source);
    this.deadlines = DeadlineRules.fromSections(top, source);
  }

  /** Reads and checks a rules file; {@code source} names it in every error message. */
  public static RulesFile load(InputStream in, String source) {
    // Exact decimals (amounts are never binary floating point) and no repeated keys.
    JsonNode top = RulesYaml.read(in, "Invalid rules file " + source + ": ");
    if (!top.isObject()) {
      throw new IllegalArgumentException(
          "Invalid rules file " + source + ": the file is not a YAML mapping");
    }
    for (String key : top.propertyNames()) {
      if (!TOP_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "Invalid rules file " + source + ": unknown top-level key '" + key + "'");
      }
    }
    return new RulesFile(source, top);
  }

  /** The rules file shipped on the classpath. */
  public static RulesFile shipped() {
    InputStream in = RulesFile.class.getClassLoader().getResourceAsStream(SHIPPED);
    if (in == null) {
      throw new IllegalStateException(SHIPPED + " is missing from the classpath");
    }
    return load(in, SHIPPED);
  }

  public String version() {
    return routing.version();
  }

  public String source() {
    return source;
  }

  /**
   * SHA-256 of the rules as parsed, in canonical JSON: the same rules give the same hash whatever
   * their comments or layout (the audit chain's {@code RULES_LOADED}).
   */
  public String sha256() {
    return sha256;
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
