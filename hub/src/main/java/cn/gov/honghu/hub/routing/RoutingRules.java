package cn.gov.honghu.hub.routing;

import cn.gov.honghu.hub.yaml.RulesYaml;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The routing rows of the rules file (HUB-SPEC section 5): one row per message type, with who may
 * send it, its recipients, its preconditions, the flags it may set, the hub messages it may raise
 * and its legal basis. Loaded and checked once at start; a bad file stops the hub with a message
 * naming the row.
 */
public final class RoutingRules {

  /**
   * A recipient entry: an agency code or a {@code $resolver}, sent only when every named condition
   * holds (none: always). The file writes it as a bare code or as {@code {agency, when}}.
   */
  public record RecipientSpec(@NotBlank(message = "is required") String agency, List<String> when) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public RecipientSpec {
      when = orEmpty(when);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static RecipientSpec of(String agency) {
      return new RecipientSpec(agency, List.of());
    }
  }

  /** A flag the row sets on the receipt when every named condition holds. */
  public record FlagSpec(
      @NotBlank(message = "is required") String flag,
      @NotEmpty(message = "must name at least one condition") List<String> when) {}

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

  /** The routing sections as the file writes them; other sections are not routing's. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Sections(
      @NotBlank(message = "is required") String version,
      @NotNull(message = "must be a whole number of days, at least 1")
          @Min(value = 1, message = "must be a whole number of days, at least 1")
          Integer penaltyCopyWithinDays,
      @Valid Common common,
      @NotNull(message = "must be a list") List<@Valid Row> routes) {}

  /** Copies and flags that apply to every row. */
  private record Common(List<@Valid RecipientSpec> copy, List<@Valid FlagSpec> flags) {}

  private record Row(
      @NotBlank(message = "is required") String id,
      @NotBlank(message = "is required") String type,
      String name,
      @NotEmpty(message = "must name at least one sender") List<String> senders,
      List<String> requires,
      List<@Valid RecipientSpec> to,
      List<@Valid RecipientSpec> copy,
      List<@Valid FlagSpec> flags,
      List<@Valid Raise> raises,
      @NotBlank(message = "is required") String basis) {}

  private record Raise(
      @NotBlank(message = "is required") String type,
      List<String> when,
      List<@Valid RecipientSpec> to,
      List<@Valid RecipientSpec> copy,
      @NotBlank(message = "is required") String basis) {}

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
  public static RoutingRules fromSections(JsonNode top, String source) {
    Sections sections = RulesYaml.bind(top, Sections.class, "Invalid rules file " + source + ": ");
    Common common = sections.common() == null ? new Common(null, null) : sections.common();
    Map<String, Rule> byType = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < sections.routes().size(); i++) {
      Row row = sections.routes().get(i);
      String where = RulesYaml.entry("routes", i, row.id());
      if (!ids.add(row.id())) {
        throw bad(source, where + ": duplicate id");
      }
      Rule rule =
          new Rule(
              row.id(),
              row.type(),
              row.name() == null ? row.id() : row.name(),
              row.senders(),
              orEmpty(row.requires()),
              concat(row.to(), row.copy(), common.copy()),
              concat(row.flags(), common.flags()),
              raises(row.raises(), source, where + ".raises"),
              row.basis());
      if (byType.put(row.type(), rule) != null) {
        throw bad(source, where + ": a second row for type " + row.type());
      }
    }
    return new RoutingRules(sections.version(), byType, sections.penaltyCopyWithinDays());
  }

  private static List<RaiseSpec> raises(List<Raise> entries, String source, String where) {
    List<RaiseSpec> raises = new ArrayList<>();
    for (Raise entry : orEmpty(entries)) {
      List<RecipientSpec> recipients = concat(entry.to(), entry.copy());
      if (recipients.isEmpty()) {
        throw bad(source, where + "[" + raises.size() + "]: to must name at least one recipient");
      }
      raises.add(new RaiseSpec(entry.type(), orEmpty(entry.when()), recipients, entry.basis()));
    }
    return raises;
  }

  /** The lists one after the other; a list the file leaves out is empty. */
  @SafeVarargs
  private static <T> List<T> concat(List<T>... lists) {
    return Stream.of(lists).flatMap(list -> orEmpty(list).stream()).toList();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  private static IllegalArgumentException bad(String source, String problem) {
    return new IllegalArgumentException("Invalid rules file " + source + ": " + problem);
  }
}
