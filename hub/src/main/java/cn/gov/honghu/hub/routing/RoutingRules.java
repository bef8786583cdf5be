package cn.gov.honghu.hub.routing;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The routing rows of the rules file (HUB-SPEC section 5): one row per message type, with who may
 * send it, its recipients, its preconditions and its legal basis. Loaded and checked once at start;
 * a bad file stops the hub with a message naming the row.
 */
public final class RoutingRules {

  /** A recipient entry: an agency code or a {@code $resolver}, optionally conditional. */
  public record RecipientSpec(String agency, String when) {}

  /** One row. */
  public record Rule(
      String id,
      String type,
      String name,
      List<String> senders,
      List<String> requires,
      List<RecipientSpec> recipients,
      String basis) {}

  private static final Set<String> ROW_KEYS =
      Set.of("id", "type", "name", "senders", "requires", "to", "copy", "basis");

  private final String version;
  private final Map<String, Rule> byType;

  private RoutingRules(String version, Map<String, Rule> byType) {
    this.version = version;
    this.byType = byType;
  }

  public String version() {
    return version;
  }

  public Optional<Rule> forType(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  public List<Rule> all() {
    return List.copyOf(byType.values());
  }

  /** Parses a rules file; throws {@link IllegalArgumentException} naming the bad entry. */
  public static RoutingRules load(InputStream in, String source) throws IOException {
    Object root;
    try (in) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw bad(source, "the file is not a YAML mapping");
    }
    Object version = top.get("version");
    if (version == null) {
      throw bad(source, "version is required");
    }
    if (!(top.get("routes") instanceof List<?> rows)) {
      throw bad(source, "routes must be a list");
    }
    Map<String, Rule> byType = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      String where = "routes[" + i + "]";
      if (!(rows.get(i) instanceof Map<?, ?> row)) {
        throw bad(source, where + " is not a mapping");
      }
      String id = text(row, "id", source, where);
      where = where + " (" + id + ")";
      for (Object key : row.keySet()) {
        if (!ROW_KEYS.contains(String.valueOf(key))) {
          throw bad(source, where + ": unknown field '" + key + "'");
        }
      }
      if (!ids.add(id)) {
        throw bad(source, where + ": duplicate id");
      }
      String type = text(row, "type", source, where);
      List<RecipientSpec> recipients = new ArrayList<>();
      recipients.addAll(recipients(row.get("to"), source, where + ".to"));
      recipients.addAll(recipients(row.get("copy"), source, where + ".copy"));
      Rule rule =
          new Rule(
              id,
              type,
              row.get("name") == null ? id : String.valueOf(row.get("name")),
              strings(row.get("senders"), source, where + ".senders"),
              strings(row.get("requires"), source, where + ".requires"),
              recipients,
              text(row, "basis", source, where));
      if (rule.senders().isEmpty()) {
        throw bad(source, where + ": senders must name at least one sender");
      }
      if (byType.put(type, rule) != null) {
        throw bad(source, where + ": a second row for type " + type);
      }
    }
    return new RoutingRules(String.valueOf(version), byType);
  }

  private static List<RecipientSpec> recipients(Object value, String source, String where) {
    List<RecipientSpec> specs = new ArrayList<>();
    if (value == null) {
      return specs;
    }
    if (!(value instanceof List<?> list)) {
      throw bad(source, where + " must be a list");
    }
    for (Object entry : list) {
      if (entry instanceof String code) {
        specs.add(new RecipientSpec(code, null));
      } else if (entry instanceof Map<?, ?> map && map.get("agency") instanceof String code) {
        Object when = map.get("when");
        specs.add(new RecipientSpec(code, when == null ? null : String.valueOf(when)));
      } else {
        throw bad(source, where + ": entry must be an agency code or {agency, when}");
      }
    }
    return specs;
  }

  private static List<String> strings(Object value, String source, String where) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw bad(source, where + " must be a list");
    }
    return list.stream().map(String::valueOf).toList();
  }

  private static String text(Map<?, ?> row, String key, String source, String where) {
    Object value = row.get(key);
    if (value == null || String.valueOf(value).isBlank()) {
      throw bad(source, where + ": " + key + " is required");
    }
    return String.valueOf(value);
  }

  private static IllegalArgumentException bad(String source, String problem) {
    return new IllegalArgumentException("Invalid rules file " + source + ": " + problem);
  }
}
