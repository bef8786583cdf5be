package cn.gov.honghu.hub.thresholds;

import java.util.List;

/** The clause ids a case's facts met, in rules-file order, and the flags raised. */
public record Evaluation(List<String> clauses, List<String> flags) {

  public Evaluation {
    clauses = List.copyOf(clauses);
    flags = List.copyOf(flags);
  }

  /** Whether any criminal threshold was met. */
  public boolean thresholdMet() {
    return !clauses.isEmpty();
  }
}
