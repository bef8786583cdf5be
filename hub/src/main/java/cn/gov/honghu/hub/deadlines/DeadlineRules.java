package cn.gov.honghu.hub.deadlines;

import cn.gov.honghu.hub.message.MessageType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deadline definitions of the rules file (THRESHOLDS.md "Statutory deadlines"): which message
 * opens and closes each deadline, who owes the act and who is told when it passes. The durations
 * are not here: they are configuration ({@code hub.deadlines.<id>}), so that a deployment or a test
 * can shorten them without touching the rules.
 */
public final class DeadlineRules {

  /** Who may owe a deadline besides a fixed agency code. */
  public static final Set<String> OWER_RESOLVERS =
      Set.of("$transferring-agency", "$addressee", "$requester", "$police");

  /** The message that opens a deadline: a type, and for decisions the decision value. */
  public record Trigger(String type, String decision) {}

  /**
   * One deadline. {@code window} marks a period the owing party may use (D2): it lapses unused
   * without an overdue notice. {@code urgentDuration} names the configuration key used when the
   * opening message is marked {@code urgent}; {@code dueDateField} names a payload date that sets
   * the due date instead of a duration (D5).
   */
  public record Deadline(
      String id,
      Trigger opens,
      String closes,
      String owedBy,
      String act,
      boolean window,
      String urgentDuration,
      String dueDateField,
      List<String> alsoNotified,
      String source) {}

  private static final Set<String> KEYS =
      Set.of(
          "id",
          "opens",
          "closes",
          "owedBy",
          "act",
          "window",
          "urgentDuration",
          "dueDateField",
          "notify",
          "source");
  private static final Set<String> TRIGGER_KEYS = Set.of("type", "decision");

  private final List<Deadline> deadlines;

  private DeadlineRules(List<Deadline> deadlines) {
    this.deadlines = List.copyOf(deadlines);
  }

  public List<Deadline> all() {
    return deadlines;
  }

  public Optional<Deadline> find(String id) {
    return deadlines.stream().filter(d -> d.id().equals(id)).findFirst();
  }

  /** Reads the {@code deadlines} section; other top-level keys are ignored. */
  public static DeadlineRules fromSections(Map<?, ?> top, String source) {
    if (!(top.get("deadlines") instanceof List<?> entries) || entries.isEmpty()) {
      throw bad(source, "deadlines must be a non-empty list");
    }
    List<Deadline> deadlines = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = "deadlines[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        throw bad(source, where + " is not a mapping");
      }
      String id = text(entry, "id", source, where);
      where = where + " (" + id + ")";
      checkKeys(entry, KEYS, source, where);
      if (!id.matches("^D[0-9]+$")) {
        throw bad(source, where + ": id must be D followed by a number");
      }
      if (!ids.add(id)) {
        throw bad(source, where + ": duplicate id");
      }
      if (!(entry.get("opens") instanceof Map<?, ?> opens)) {
        throw bad(source, where + ": opens must be a mapping with a type");
      }
      checkKeys(opens, TRIGGER_KEYS, source, where + ".opens");
      Trigger trigger =
          new Trigger(
              type(text(opens, "type", source, where + ".opens"), source, where + ".opens"),
              opens.get("decision") == null ? null : String.valueOf(opens.get("decision")));
      String closes = type(text(entry, "closes", source, where), source, where + ".closes");
      String owedBy = text(entry, "owedBy", source, where);
      if (owedBy.startsWith("$") && !OWER_RESOLVERS.contains(owedBy)) {
        throw bad(source, where + ": unknown owedBy " + owedBy);
      }
      List<String> notify = new ArrayList<>();
      if (entry.get("notify") instanceof List<?> list) {
        list.forEach(code -> notify.add(String.valueOf(code)));
      } else if (entry.get("notify") != null) {
        throw bad(source, where + ".notify must be a list of agency codes");
      }
      Object window = entry.get("window");
      if (window != null && !(window instanceof Boolean)) {
        throw bad(source, where + ".window must be true or false");
      }
      deadlines.add(
          new Deadline(
              id,
              trigger,
              closes,
              owedBy,
              text(entry, "act", source, where),
              Boolean.TRUE.equals(window),
              optionalText(entry, "urgentDuration"),
              optionalText(entry, "dueDateField"),
              notify,
              text(entry, "source", source, where)));
    }
    return new DeadlineRules(deadlines);
  }

  private static String type(String type, String source, String where) {
    if (MessageType.parse(type).isEmpty()) {
      throw bad(source, where + ": unknown message type " + type);
    }
    return type;
  }

  private static String optionalText(Map<?, ?> map, String key) {
    Object value = map.get(key);
    return value == null ? null : String.valueOf(value);
  }

  private static void checkKeys(Map<?, ?> map, Set<String> known, String source, String where) {
    for (Object key : map.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        throw bad(source, where + ": unknown field '" + key + "'");
      }
    }
  }

  private static String text(Map<?, ?> map, String key, String source, String where) {
    Object value = map.get(key);
    if (value == null || String.valueOf(value).isBlank()) {
      throw bad(source, where + ": " + key + " is required");
    }
    return String.valueOf(value);
  }

  private static IllegalArgumentException bad(String source, String problem) {
    return new IllegalArgumentException("Invalid rules file " + source + ": " + problem);
  }
}
