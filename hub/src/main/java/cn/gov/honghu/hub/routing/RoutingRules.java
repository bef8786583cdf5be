package cn.gov.honghu.hub.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routing rows of the rules file (HUB-SPEC section 5): one row per message type, with who may
 * send it, its recipients, its preconditions, the flags it may set, the hub messages it may raise
 * and its legal basis. Loaded and checked once at start; a bad file stops the hub with a message
 * naming the row.
 */
public final class RoutingRules {

  /**
   * A recipient entry: an agency code or a {@code $resolver}, sent only when every named condition
   * holds (none: always).
   */
  public record RecipientSpec(String agency, List<String> when) {}

  /** A flag the row sets on the receipt when every named condition holds. */
  public record FlagSpec(String flag, List<String> when) {}

  /** A hub-generated message the row raises when every named condition holds. */
  public record RaiseSpec(
      String type, List<String> when, List<RecipientSpec> recipients, String basis) {}

  /** One row. */
  public record Rule(
      String id,
      String type,
      String name,
      List<String> senders,
      List<String> requires,
      List<RecipientSpec> recipients,
      List<FlagSpec> flags,
      List<RaiseSpec> raises,
      String basis) {}

  private static final Set<String> ROW_KEYS =
      Set.of("id", "type", "name", "senders", "requires", "to", "copy", "flags", "raises", "basis");
  private static final Set<String> COMMON_KEYS = Set.of("copy", "flags");
  private static final Set<String> RAISE_KEYS = Set.of("type", "when", "to", "copy", "basis");
  private static final Set<String> FLAG_KEYS = Set.of("flag", "when");
  private static final Set<String> RECIPIENT_KEYS = Set.of("agency", "when");

  private final String version;
  private final Map<String, Rule> byType;
  private final int penaltyCopyWithinDays;

  private RoutingRules(String version, Map<String, Rule> byType, int penaltyCopyWithinDays) {
    this.version = version;
    this.byType = byType;
    this.penaltyCopyWithinDays = penaltyCopyWithinDays;
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

  /**
   * Days after a penalty decision within which its copy to the police is timely (2006 opinion on
   * timely transfer, item 1); a later copy is flagged {@code LATE_COPY}.
   */
  public int penaltyCopyWithinDays() {
    return penaltyCopyWithinDays;
  }

  /**
   * Reads the routing sections ({@code version}, {@code routes}, {@code common}, {@code
   * penaltyCopyWithinDays}) of the rules file; other top-level keys are ignored. Throws {@link
   * IllegalArgumentException} naming the bad entry.
   */
  public static RoutingRules fromSections(Map<?, ?> top, String source) {
    Object version = top.get("version");
    if (version == null || String.valueOf(version).isBlank()) {
      throw bad(source, "version is required");
    }
    if (!(top.get("routes") instanceof List<?> rows)) {
      throw bad(source, "routes must be a list");
    }
    List<RecipientSpec> commonCopies = List.of();
    List<FlagSpec> commonFlags = List.of();
    if (top.get("common") != null) {
      if (!(top.get("common") instanceof Map<?, ?> common)) {
        throw bad(source, "common must be a mapping");
      }
      checkKeys(common, COMMON_KEYS, source, "common");
      commonCopies = recipients(common.get("copy"), source, "common.copy");
      commonFlags = flags(common.get("flags"), source, "common.flags");
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
      checkKeys(row, ROW_KEYS, source, where);
      if (!ids.add(id)) {
        throw bad(source, where + ": duplicate id");
      }
      String type = text(row, "type", source, where);
      List<RecipientSpec> recipients = new ArrayList<>();
      recipients.addAll(recipients(row.get("to"), source, where + ".to"));
      recipients.addAll(recipients(row.get("copy"), source, where + ".copy"));
      recipients.addAll(commonCopies);
      List<FlagSpec> flags = new ArrayList<>(flags(row.get("flags"), source, where + ".flags"));
      flags.addAll(commonFlags);
      Rule rule =
          new Rule(
              id,
              type,
              row.get("name") == null ? id : String.valueOf(row.get("name")),
              strings(row.get("senders"), source, where + ".senders"),
              strings(row.get("requires"), source, where + ".requires"),
              recipients,
              flags,
              raises(row.get("raises"), source, where + ".raises"),
              text(row, "basis", source, where));
      if (rule.senders().isEmpty()) {
        throw bad(source, where + ": senders must name at least one sender");
      }
      if (byType.put(type, rule) != null) {
        throw bad(source, where + ": a second row for type " + type);
      }
    }
    Object copyDays = top.get("penaltyCopyWithinDays");
    if (!(copyDays instanceof Integer days) || days < 1) {
      throw bad(source, "penaltyCopyWithinDays must be a whole number of days, at least 1");
    }
    return new RoutingRules(String.valueOf(version), byType, days);
  }

  private static List<RaiseSpec> raises(Object value, String source, String where) {
    List<RaiseSpec> raises = new ArrayList<>();
    for (Map<?, ?> entry : mappings(value, source, where)) {
      String at = where + "[" + raises.size() + "]";
      checkKeys(entry, RAISE_KEYS, source, at);
      List<RecipientSpec> recipients = new ArrayList<>();
      recipients.addAll(recipients(entry.get("to"), source, at + ".to"));
      recipients.addAll(recipients(entry.get("copy"), source, at + ".copy"));
      if (recipients.isEmpty()) {
        throw bad(source, at + ": to must name at least one recipient");
      }
      raises.add(
          new RaiseSpec(
              text(entry, "type", source, at),
              strings(entry.get("when"), source, at + ".when"),
              recipients,
              text(entry, "basis", source, at)));
    }
    return raises;
  }

  private static List<FlagSpec> flags(Object value, String source, String where) {
    List<FlagSpec> flags = new ArrayList<>();
    for (Map<?, ?> entry : mappings(value, source, where)) {
      String at = where + "[" + flags.size() + "]";
      checkKeys(entry, FLAG_KEYS, source, at);
      List<String> when = strings(entry.get("when"), source, at + ".when");
      if (when.isEmpty()) {
        throw bad(source, at + ": when must name at least one condition");
      }
      flags.add(new FlagSpec(text(entry, "flag", source, at), when));
    }
    return flags;
  }

  private static List<Map<?, ?>> mappings(Object value, String source, String where) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw bad(source, where + " must be a list");
    }
    List<Map<?, ?>> maps = new ArrayList<>();
    for (Object entry : list) {
      if (!(entry instanceof Map<?, ?> map)) {
        throw bad(source, where + "[" + maps.size() + "] is not a mapping");
      }
      maps.add(map);
    }
    return maps;
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
        specs.add(new RecipientSpec(code, List.of()));
      } else if (entry instanceof Map<?, ?> map && map.get("agency") instanceof String code) {
        checkKeys(map, RECIPIENT_KEYS, source, where + "[" + specs.size() + "]");
        specs.add(new RecipientSpec(code, strings(map.get("when"), source, where + ".when")));
      } else {
        throw bad(source, where + ": entry must be an agency code or {agency, when}");
      }
    }
    return specs;
  }

  /** A list of names; a single name is accepted as a list of one. */
  private static List<String> strings(Object value, String source, String where) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String one) {
      return List.of(one);
    }
    if (!(value instanceof List<?> list)) {
      throw bad(source, where + " must be a list");
    }
    return list.stream().map(String::valueOf).toList();
  }

  private static void checkKeys(Map<?, ?> map, Set<String> known, String source, String where) {
    for (Object key : map.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        throw bad(source, where + ": unknown field '" + key + "'");
      }
    }
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
