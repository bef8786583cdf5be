package cn.gov.honghu.hub.thresholds;

import static cn.gov.honghu.hub.thresholds.ThresholdRules.CRIMINAL_THRESHOLD_MET;

import cn.gov.honghu.hub.thresholds.Evaluation.Reason;
import cn.gov.honghu.hub.thresholds.ThresholdRules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;

/**
 * Says which criminal-threshold clauses a case's {@code payload.facts} meet and which aggravating
 * flags they raise (THRESHOLDS.md), by the conditions of {@link ThresholdRules}.
 *
 * <p>Important: an absent quantity is unknown, never zero, and never meets a threshold; so is a
 * value of the wrong type (a string where a number is expected): evaluation never throws on the
 * sender's facts. Amounts are compared as {@link java.math.BigDecimal}, boundaries ({@code >=})
 * inclusive. Each clause and flag applies to its own offence only.
 */
public final class ThresholdEvaluator {

  private final ThresholdRules rules;

  public ThresholdEvaluator(ThresholdRules rules) {
    this.rules = rules;
  }

  /** Evaluates the facts, with the hub-derived ban facts ORed into the sender's. */
  public Evaluation evaluate(JsonNode facts, Derived derived) {
    if (facts == null || !facts.isObject()) {
      return Evaluation.NOTHING;
    }
    JsonNode offence = facts.get("offence");
    if (offence == null || !offence.isString()) {
      return Evaluation.NOTHING;
    }
    Derived hub = derived == null ? Derived.NONE : derived;
    Function<String, JsonNode> lookup =
        fact -> hub.holds(fact) ? BooleanNode.TRUE : facts.get(fact);
    List<Rule> met = applying(rules.clauses(), offence.stringValue(), lookup);
    List<Rule> raised = applying(rules.flags(), offence.stringValue(), lookup);
    List<String> flags = new ArrayList<>();
    if (!met.isEmpty()) {
      flags.add(CRIMINAL_THRESHOLD_MET);
    }
    raised.forEach(flag -> flags.add(flag.id()));
    List<Reason> reasons =
        Stream.concat(met.stream(), raised.stream())
            .map(rule -> new Reason(rule.id(), rule.source()))
            .toList();
    return new Evaluation(met.stream().map(Rule::id).toList(), flags, reasons);
  }

  private static List<Rule> applying(
      List<Rule> candidates, String offence, Function<String, JsonNode> facts) {
    return candidates.stream()
        .filter(rule -> rule.offence().equals(offence) && rule.holds(facts))
        .toList();
  }
}
