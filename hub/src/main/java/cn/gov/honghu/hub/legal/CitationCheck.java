package cn.gov.honghu.hub.legal;

import cn.gov.honghu.hub.legal.LawRegistry.Law;
import cn.gov.honghu.hub.legal.LawRegistry.Revision;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Checks a message's {@code legalBasis[]} (HUB-SPEC section 5.1) against the {@link LawRegistry}
 * (THRESHOLDS.md "Legal citations"). A citation's {@code version} names the latest revision adopted
 * on or before it; the citation is outdated when a later revision had already taken effect on the
 * act date. The caller passes the act date: {@code facts.occurredAt}'s date in the hub's zone, or
 * {@code sentAt}'s date for types without facts.
 *
 * <p>A citation that cannot be checked is {@link Status#UNCHECKED}, never outdated and never an
 * exception: an unknown law, a missing or malformed {@code version} (not a {@code yyyy-MM-dd}
 * date), a version before the law's first revision, or an entry that is not an object with a {@code
 * law}. Any unchecked citation raises {@link #UNCHECKED}; any outdated one raises {@link
 * #OUTDATED}.
 */
public final class CitationCheck {

  public static final String OUTDATED = "LEGAL_CITATION_OUTDATED";
  public static final String UNCHECKED = "LEGAL_CITATION_UNCHECKED";

  /** The outcome of one citation. */
  public enum Status {
    CURRENT,
    OUTDATED,
    UNCHECKED
  }

  /** Why a citation is unchecked; {@code NONE} when it was checked. */
  public enum Reason {
    NONE,
    UNKNOWN_LAW,
    MISSING_VERSION,
    MALFORMED_VERSION,
    VERSION_BEFORE_FIRST_REVISION,
    MALFORMED_CITATION
  }

  /**
   * One citation's outcome. {@code law}, {@code article} and {@code version} are as cited (null
   * when absent); {@code lawId}, {@code cited} and {@code inForce} are null when not known. {@code
   * inForce} is the revision in force on the act date.
   */
  public record Outcome(
      int index,
      String law,
      String article,
      String version,
      Status status,
      Reason reason,
      String lawId,
      Revision cited,
      Revision inForce) {}

  /** An outdated citation, for the justice copy and the receipt. */
  public record Outdated(String law, String article, String citedVersion, Revision inForce) {}

  /** The outcome of every citation, in order, and the flags they raise. */
  public record Result(List<Outcome> outcomes, List<String> flags) {

    public Result {
      outcomes = List.copyOf(outcomes);
      flags = List.copyOf(flags);
    }

    public List<Outdated> outdated() {
      return outcomes.stream()
          .filter(o -> o.status() == Status.OUTDATED)
          .map(o -> new Outdated(o.law(), o.article(), o.version(), o.inForce()))
          .toList();
    }

    public boolean hasFlag(String flag) {
      return flags.contains(flag);
    }
  }

  private final LawRegistry registry;

  public CitationCheck(LawRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Checks the citations; a missing or non-array {@code legalBasis} has none, so no flags (the
   * schema decides whether it is required).
   */
  public Result check(JsonNode legalBasis, LocalDate actDate) {
    Objects.requireNonNull(actDate, "actDate");
    List<Outcome> outcomes = new ArrayList<>();
    if (legalBasis != null && legalBasis.isArray()) {
      for (int i = 0; i < legalBasis.size(); i++) {
        outcomes.add(checkOne(i, legalBasis.get(i), actDate));
      }
    }
    List<String> flags = new ArrayList<>();
    if (outcomes.stream().anyMatch(o -> o.status() == Status.OUTDATED)) {
      flags.add(OUTDATED);
    }
    if (outcomes.stream().anyMatch(o -> o.status() == Status.UNCHECKED)) {
      flags.add(UNCHECKED);
    }
    return new Result(outcomes, flags);
  }

  private Outcome checkOne(int index, JsonNode citation, LocalDate actDate) {
    String law = text(citation, "law");
    String article = text(citation, "article");
    JsonNode versionNode = citation != null && citation.isObject() ? citation.get("version") : null;
    String version = scalar(versionNode);
    if (law == null || law.isBlank()) {
      return unchecked(index, law, article, version, Reason.MALFORMED_CITATION, null);
    }
    Optional<Law> known = registry.find(law);
    if (known.isEmpty()) {
      return unchecked(index, law, article, version, Reason.UNKNOWN_LAW, null);
    }
    String lawId = known.get().id();
    if (version == null || version.isBlank()) {
      return unchecked(index, law, article, version, Reason.MISSING_VERSION, lawId);
    }
    LocalDate versionDate;
    try {
      versionDate = versionNode.isString() ? LocalDate.parse(version.strip()) : null;
    } catch (DateTimeParseException e) {
      versionDate = null;
    }
    if (versionDate == null) {
      return unchecked(index, law, article, version, Reason.MALFORMED_VERSION, lawId);
    }
    Optional<Revision> cited = known.get().citedBy(versionDate);
    if (cited.isEmpty()) {
      return unchecked(index, law, article, version, Reason.VERSION_BEFORE_FIRST_REVISION, lawId);
    }
    Revision inForce = known.get().inForceOn(actDate).orElse(null);
    boolean outdated = inForce != null && inForce.inForce().isAfter(cited.get().inForce());
    return new Outcome(
        index,
        law,
        article,
        version,
        outdated ? Status.OUTDATED : Status.CURRENT,
        Reason.NONE,
        lawId,
        cited.get(),
        inForce);
  }

  private static Outcome unchecked(
      int index, String law, String article, String version, Reason reason, String lawId) {
    return new Outcome(index, law, article, version, Status.UNCHECKED, reason, lawId, null, null);
  }

  private static String text(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return null;
    }
    return scalar(node.get(field));
  }

  private static String scalar(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asString() : value.toString();
  }
}
