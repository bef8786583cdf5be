package cn.gov.honghu.hub.legal;

import cn.gov.honghu.hub.yaml.RulesYaml;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The registry of laws and their revisions that citations are checked against (THRESHOLDS.md "Legal
 * citations"), read from the {@code laws} section of the rules file. Loaded and checked once; a bad
 * file is refused with an {@link IllegalArgumentException} naming the entry, so a typo stops the
 * hub at start rather than silently passing citations.
 */
public final class LawRegistry {

  private static final String PRC_PREFIX = "中华人民共和国";

  /** One revision: the date it was adopted and the date it took effect. */
  public record Revision(
      @NotNull(message = "is required") LocalDate adopted,
      @NotNull(message = "is required") LocalDate inForce) {}

  /** One law, its revisions oldest first. */
  public record Law(
      @NotBlank(message = "is required") String id,
      @NotBlank(message = "is required") String title,
      @NotBlank(message = "is required") String source,
      @NotEmpty(message = "must be a non-empty list") List<@Valid Revision> revisions) {

    public Law {
      id = id == null ? null : id.strip();
      title = title == null ? null : title.strip();
      source = source == null ? null : source.strip();
      revisions = revisions == null ? List.of() : List.copyOf(revisions);
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
  public static LawRegistry load(InputStream in, String source) {
    JsonNode top = RulesYaml.read(in, source + ": ");
    if (!top.isObject()) {
      throw bad(source, "the file is not a YAML mapping");
    }
    for (String key : top.propertyNames()) {
      if (!key.equals("laws")) {
        throw bad(source, "unknown field '" + key + "'");
      }
    }
    return fromSections(top, source);
  }

  /** The {@code laws} section as bound from the file. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Section(@NotEmpty(message = "must be a non-empty list") List<@Valid Law> laws) {}

  /** Reads the {@code laws} section of a bigger rules file; other top-level keys are ignored. */
  public static LawRegistry fromSections(JsonNode top, String source) {
    List<Law> laws = RulesYaml.bind(top, Section.class, source + ": ").laws();
    Map<String, Law> byTitle = new LinkedHashMap<>();
    Map<String, String> ids = new HashMap<>();
    for (int i = 0; i < laws.size(); i++) {
      Law law = laws.get(i);
      String where = RulesYaml.entry("laws", i, law.id());
      checkOrder(source, where, law.revisions());
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

  /** Each revision takes effect on or after its adoption, and follows the one before it. */
  private static void checkOrder(String source, String where, List<Revision> revisions) {
    for (int j = 0; j < revisions.size(); j++) {
      String at = where + ".revisions[" + j + "]";
      Revision revision = revisions.get(j);
      if (revision.inForce().isBefore(revision.adopted())) {
        throw bad(
            source,
            at + ": inForce " + revision.inForce() + " is before adopted " + revision.adopted());
      }
      if (j > 0) {
        Revision last = revisions.get(j - 1);
        if (!revision.adopted().isAfter(last.adopted())
            || !revision.inForce().isAfter(last.inForce())) {
          throw bad(
              source,
              at
                  + ": revisions must be listed oldest first ("
                  + revision.adopted()
                  + "/"
                  + revision.inForce()
                  + " does not follow "
                  + last.adopted()
                  + "/"
                  + last.inForce()
                  + ")");
        }
      }
    }
  }

  private static IllegalArgumentException bad(String source, String message) {
    return new IllegalArgumentException(source + ": " + message);
  }
}
