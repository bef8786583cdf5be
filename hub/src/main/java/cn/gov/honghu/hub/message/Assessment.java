package cn.gov.honghu.hub.message;

import java.util.List;
import java.util.Map;

/**
 * What the hub found in a message's facts and citations before routing it (THRESHOLDS.md): the
 * threshold clauses met, the flags raised, where each fact the hub supplied came from, and the
 * legal source of every met clause. Routing conditions read it; the receipt and the timeline carry
 * it so that a decision can be explained.
 *
 * @param factSources fact name to where its value came from: {@code sender}, {@code ban-calendar}
 *     or {@code hub-party-history}; only for facts the hub derived or looked up
 * @param clauseSources met clause id to its legal source
 * @param citationOutdated whether a {@code legalBasis} citation names a superseded revision
 */
public record Assessment(
    List<String> clauses,
    List<String> flags,
    Map<String, String> factSources,
    Map<String, String> clauseSources,
    boolean citationOutdated) {

  /** For messages without facts or citations. */
  public static final Assessment NONE =
      new Assessment(List.of(), List.of(), Map.of(), Map.of(), false);

  public Assessment {
    clauses = List.copyOf(clauses);
    flags = List.copyOf(flags);
    factSources = Map.copyOf(factSources);
    clauseSources = Map.copyOf(clauseSources);
  }

  public boolean thresholdMet() {
    return !clauses.isEmpty();
  }
}
