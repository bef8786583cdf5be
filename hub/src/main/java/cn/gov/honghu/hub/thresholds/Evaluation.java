package cn.gov.honghu.hub.thresholds;

import java.util.List;

/**
 * The clause ids a case's facts met, in rules-file order, the flags raised, and the reasons: the id
 * and legal source of every met clause, then of every raised aggravating flag, for a reviewer.
 */
public record Evaluation(List<String> clauses, List<String> flags, List<Reason> reasons) {

  /** Nothing met and nothing raised. */
  public static final Evaluation NOTHING = new Evaluation(List.of(), List.of(), List.of());

  /** A met clause or raised flag and its legal source, as the rules file states it. */
  public record Reason(String id, String source) {}

  public Evaluation {
    clauses = List.copyOf(clauses);
    flags = List.copyOf(flags);
    reasons = List.copyOf(reasons);
  }

  /** Whether any criminal threshold was met. */
  public boolean thresholdMet() {
    return !clauses.isEmpty();
  }
}
