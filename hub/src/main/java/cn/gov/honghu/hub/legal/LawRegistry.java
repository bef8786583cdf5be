package cn.gov.honghu.hub.legal;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The registry of laws and their revisions that citations are checked against (THRESHOLDS.md "Legal
 * citations"), read from the {@code laws} section of the rules file. Loaded and checked once; a bad
 * file is refused with an {@link IllegalArgumentException} naming the entry, so a typo stops the
 * hub at start rather than silently passing citations.
 */
public final class LawRegistry {

  private static final String PRC_PREFIX = "中华人民共和国";
  private static final Set<String> TOP_KEYS = Set.of("laws");
  private static final Set<String> LAW_KEYS = Set.of("id", "title", "source", "revisions");
  private static final Set<String> REVISION_KEYS = Set.of("adopted", "inForce");

  /** One revision: the date it was adopted and the date it took effect. */
  public record Revision(LocalDate adopted, LocalDate inForce) {}

  /** One law, its revisions oldest first. */
  public record Law(String id, String title, String source, List<Revision> revisions) {

    public Law {
      revisions = List.copyOf(revisions);
    }

    /**
     * The revision a cited version names: the latest adopted on or before it (agencies cite the
     * adoption or the in-force date alike). Empty when the version predates the first revision.
     */
    public Optional<Revision> citedBy(LocalDate version) {
      Revision found = null;
      for (Revision revision : revisions) {
        if (!revision.adopted().isAfter(version)) {
          found = revision;
        }
      }
      return Optional.ofNullable(found);
    }

    /** The revision in force on a date: the latest that had taken effect by then, if any. */
    public Optional<Revision> inForceOn(LocalDate date) {
      Revision found = null;
      for (Revision revision : revisions) {
        if (!revision.inForce().isAfter(date)) {
          found = revision;
        }
      }
      return Optional.ofNullable(found);
    }
  }

  private final Map<String, Law> byTitle;

  private LawRegistry(Map<String, Law> byTitle) {
    this.byTitle = byTitle;
  }

  /** Finds a law by a cited title, ignoring surrounding whitespace and a leading 中华人民共和国. */
  public Optional<Law> find(String title) {
    return title == null ? Optional.empty() : Optional.ofNullable(byTitle.get(normalize(title)));
  }

  public List<Law> all() {
    return List.copyOf(byTitle.values());
  }

  /** The title as matched: stripped of surrounding whitespace and a leading 中华人民共和国. */
  static String normalize(String title) {
    String t = title.strip();
    if (t.startsWith(PRC_PREFIX)) {
      t = t.substring(PRC_PREFIX.length()).strip();
    }
    return t;
  }

  /** Parses a registry file; throws {@link IllegalArgumentException} naming the bad entry. */
  public static LawRegistry load(InputStream in, String source) throws IOException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Object root;
    try (in) {
      root = new Yaml(new SafeConstructor(options)).load(in);
    } catch (YAMLException e) {
      throw bad(source, "not valid YAML: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw bad(source, "the file is not a YAML mapping");
    }
    unknownKeys(source, "the file", top, TOP_KEYS);
    return fromSections(top, source);
  }

  /** Reads the {@code laws} section of a bigger rules file; other top-level keys are ignored. */
  public static LawRegistry fromSections(Map<?, ?> top, String source) {
    if (!(top.get("laws") instanceof List<?> entries) || entries.isEmpty()) {
      throw bad(source, "laws must be a non-empty list");
    }
    Map<String, Law> byTitle = new LinkedHashMap<>();
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = "laws[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        throw bad(source, where + " is not a mapping");
      }
      if (entry.get("id") instanceof String id && !id.isBlank()) {
        where = where + " (" + id + ")";
      }
      Law law = law(source, where, entry);
      String previous = ids.put(law.id(), where);
      if (previous != null) {
        throw bad(source, where + ": duplicate id " + law.id() + ", also " + previous);
      }
      Law clash = byTitle.putIfAbsent(normalize(law.title()), law);
      if (clash != null) {
        throw bad(
            source,
            where
                + ": duplicate title "
                + law.title()
                + ", also law "
                + clash.id()
                + " (matched "
                + "ignoring whitespace and a leading "
                + PRC_PREFIX
                + ")");
      }
    }
    return new LawRegistry(byTitle);
  }

  private static Law law(String source, String where, Map<?, ?> entry) {
    unknownKeys(source, where, entry, LAW_KEYS);
    String id = text(source, where, entry, "id");
    String title = text(source, where, entry, "title");
    String note = text(source, where, entry, "source");
    if (!(entry.get("revisions") instanceof List<?> list) || list.isEmpty()) {
      throw bad(source, where + ": revisions must be a non-empty list");
    }
    List<Revision> revisions = new ArrayList<>();
    for (int j = 0; j < list.size(); j++) {
      String at = where + ".revisions[" + j + "]";
      if (!(list.get(j) instanceof Map<?, ?> row)) {
        throw bad(source, at + " is not a mapping");
      }
      unknownKeys(source, at, row, REVISION_KEYS);
      LocalDate adopted = date(source, at, row, "adopted");
      LocalDate inForce = date(source, at, row, "inForce");
      if (inForce.isBefore(adopted)) {
        throw bad(source, at + ": inForce " + inForce + " is before adopted " + adopted);
      }
      if (!revisions.isEmpty()) {
        Revision last = revisions.get(revisions.size() - 1);
        if (!adopted.isAfter(last.adopted()) || !inForce.isAfter(last.inForce())) {
          throw bad(
              source,
              at
                  + ": revisions must be listed oldest first ("
                  + adopted
                  + "/"
                  + inForce
                  + " does not follow "
                  + last.adopted()
                  + "/"
                  + last.inForce()
                  + ")");
        }
      }
      revisions.add(new Revision(adopted, inForce));
    }
    return new Law(id, title, note, revisions);
  }

  private static void unknownKeys(String source, String where, Map<?, ?> map, Set<String> known) {
    for (Object key : map.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        throw bad(source, where + ": unknown field " + key + " (allowed: " + known + ")");
      }
    }
  }

  private static String text(String source, String where, Map<?, ?> map, String key) {
    if (map.get(key) instanceof String s && !s.isBlank()) {
      return s.strip();
    }
    throw bad(source, where + ": " + key + " is required (a non-blank string)");
  }

  /** A date quoted ({@code "2021-01-22"}) or plain (which SnakeYAML reads as a UTC timestamp). */
  private static LocalDate date(String source, String where, Map<?, ?> map, String key) {
    Object value = map.get(key);
    if (value instanceof Date d) {
      return d.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    }
    if (value instanceof String s) {
      try {
        return LocalDate.parse(s.strip());
      } catch (DateTimeParseException e) {
        throw bad(source, where + ": " + key + " is not a date (yyyy-MM-dd): " + s);
      }
    }
    throw bad(source, where + ": " + key + " is required (a date, yyyy-MM-dd)");
  }

  private static IllegalArgumentException bad(String source, String message) {
    return new IllegalArgumentException(source + ": " + message);
  }
}
