package cn.gov.honghu.hub.deadlines;

import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.yaml.RulesYaml;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

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
  public record Trigger(@NotBlank(message = "is required") String type, String decision) {}

  /**
   * One deadline. {@code window} marks a period the owing party may use (D2): it lapses unused
   * without an overdue notice. {@code urgentDuration} names the configuration key used when the
   * opening message is marked {@code urgent}; {@code dueDateField} names a payload date that sets
   * the due date instead of a duration (D5).
   */
  public record Deadline(
      @NotBlank(message = "is required")
          @Pattern(regexp = "D[0-9]+", message = "must be D followed by a number")
          String id,
      @NotNull(message = "is required") @Valid Trigger opens,
      @NotBlank(message = "is required") String closes,
      @NotBlank(message = "is required") String owedBy,
      @NotBlank(message = "is required") String act,
      boolean window,
      String urgentDuration,
      String dueDateField,
      @JsonProperty("notify") List<String> alsoNotified,
      @NotBlank(message = "is required") String source) {

    public Deadline {
      alsoNotified = alsoNotified == null ? List.of() : List.copyOf(alsoNotified);
    }
  }

  /** The {@code deadlines} section as bound from the file. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Section(
      @NotEmpty(message = "must be a non-empty list") List<@Valid Deadline> deadlines) {}

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
  public static DeadlineRules fromSections(JsonNode top, String source) {
    String prefix = "Invalid rules file " + source + ": ";
    List<Deadline> deadlines = RulesYaml.bind(top, Section.class, prefix).deadlines();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < deadlines.size(); i++) {
      Deadline deadline = deadlines.get(i);
      String where = RulesYaml.entry("deadlines", i, deadline.id());
      if (!ids.add(deadline.id())) {
        throw bad(source, where + ": duplicate id");
      }
      checkType(deadline.opens().type(), source, where + ".opens");
      checkType(deadline.closes(), source, where + ".closes");
      if (deadline.owedBy().startsWith("$") && !OWER_RESOLVERS.contains(deadline.owedBy())) {
        throw bad(source, where + ": unknown owedBy " + deadline.owedBy());
      }
    }
    return new DeadlineRules(deadlines);
  }

  private static void checkType(String type, String source, String where) {
    if (MessageType.parse(type).isEmpty()) {
      throw bad(source, where + ": unknown message type " + type);
    }
  }

  private static IllegalArgumentException bad(String source, String problem) {
    return new IllegalArgumentException("Invalid rules file " + source + ": " + problem);
  }
}
