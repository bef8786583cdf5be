package cn.gov.honghu.hub.thresholds;

import static cn.gov.honghu.hub.thresholds.ThresholdRules.CRIMINAL_THRESHOLD_MET;
import static cn.gov.honghu.hub.thresholds.ThresholdRules.ORGANISED;
import static cn.gov.honghu.hub.thresholds.ThresholdRules.REPEAT_WITHIN_2Y;

import cn.gov.honghu.hub.thresholds.ThresholdRules.Clause;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Says which criminal-threshold clauses a case's {@code payload.facts} meet (THRESHOLDS.md), with
 * the amounts taken from {@link ThresholdRules}.
 *
 * <p>Important: an absent quantity is unknown, never zero, and never meets a threshold; so is a
 * value of the wrong type (a string where a number is expected): evaluation never throws on the
 * sender's facts. Amounts are compared as {@link BigDecimal}, boundaries ({@code >=}) inclusive.
 * Each clause applies to its own offence only.
 */
public final class ThresholdEvaluator {

  private final ThresholdRules rules;

  public ThresholdEvaluator(ThresholdRules rules) {
    this.rules = rules;
  }

  /** Evaluates the facts, with the hub-derived ban facts ORed into the sender's. */
  public Evaluation evaluate(JsonNode facts, Derived derived) {
    if (facts == null || !facts.isObject()) {
      return new Evaluation(List.of(), List.of());
    }
    Derived hub = derived == null ? Derived.NONE : derived;
    String offence = text(facts, "offence").orElse("");
    List<String> met = new ArrayList<>();
    for (Clause clause : rules.clauses()) {
      if (clause.offence().equals(offence) && meets(clause, facts, hub)) {
        met.add(clause.id());
      }
    }
    List<String> flags = new ArrayList<>();
    if (!met.isEmpty()) {
      flags.add(CRIMINAL_THRESHOLD_MET);
    }
    Clause repeat = rules.flag(REPEAT_WITHIN_2Y);
    if (repeat.offence().equals(offence)
        && atLeast(
            facts, "priorPenaltiesWithin2Years", repeat.amount("priorPenaltiesWithin2Years"))) {
      flags.add(REPEAT_WITHIN_2Y);
    }
    Clause organised = rules.flag(ORGANISED);
    if (organised.offence().equals(offence)
        && atLeast(facts, "organisedBoats", organised.amount("organisedBoats"))) {
      flags.add(ORGANISED);
    }
    return new Evaluation(met, flags);
  }

  private boolean meets(Clause clause, JsonNode facts, Derived derived) {
    boolean inBanZone = isTrue(facts, "inBanZone") || derived.inBanZone();
    boolean inBanPeriod = isTrue(facts, "inBanPeriod") || derived.inBanPeriod();
    Optional<String> method = text(facts, "method");
    return switch (clause.id()) {
      case "FISH-1" ->
          precondition(inBanZone, inBanPeriod, method)
              && anyAtLeast(facts, clause, "catchKg", "catchValueYuan");
      case "FISH-2" ->
          precondition(inBanZone, inBanPeriod, method)
              && (isTrue(facts, "juvenileOrGravid") || isTrue(facts, "inGermplasmReserve"))
              && anyAtLeast(facts, clause, "catchKg", "catchValueYuan");
      case "FISH-3" -> inBanZone && method.filter(clause.values()::contains).isPresent();
      case "FISH-4" -> inBanPeriod && method.filter(clause.values()::contains).isPresent();
      case "TRADE-1" -> isTrue(facts, "knowinglyFromIllegalCatch");
      case "POL-1" -> isTrue(facts, "inDrinkingWaterZone") && isTrue(facts, "toxicSubstance");
      case "POL-2", "POL-8", "POL-9", "POL-7" ->
          anyAtLeast(facts, clause, clause.amounts().keySet().toArray(String[]::new));
      case "POL-3", "POL-4" -> exceeds(facts, clause);
      case "POL-5" -> isTrue(facts, "evasiveDischarge");
      case "POL-6" -> isTrue(facts, "monitoringFalsified");
      case "MIN-1" ->
          isTrue(facts, "withoutLicence") && anyAtLeast(facts, clause, "mineralValueYuan");
      case "MIN-2" ->
          isTrue(facts, "withoutLicence")
              && isTrue(facts, "inProhibitedAreaOrPeriod")
              && anyAtLeast(facts, clause, "mineralValueYuan");
      case "MIN-3" -> isTrue(facts, "withoutLicence") && isTrue(facts, "endangersFloodSafety");
      case "MIN-4" ->
          isTrue(facts, "withoutLicence")
              && anyAtLeast(facts, clause, "priorPenaltiesWithin2Years");
      case "LAND-1" -> anyAtLeast(facts, clause, "basicFarmlandMu", "otherCultivatedMu");
      case "LAND-2" -> forest(facts, clause);
      default -> false;
    };
  }

  /** Precondition P: a closed area, a closed season, or a banned gear or method. */
  private boolean precondition(boolean inBanZone, boolean inBanPeriod, Optional<String> method) {
    return inBanZone || inBanPeriod || method.filter(rules.bannedMethods()::contains).isPresent();
  }

  /** LAND-2: the areas are halved for a party penalised twice or more within two years. */
  private static boolean forest(JsonNode facts, Clause clause) {
    BigDecimal publicMu = clause.amount("publicForestMu");
    BigDecimal commercialMu = clause.amount("commercialForestMu");
    if (atLeast(
        facts,
        "priorPenaltiesWithin2Years",
        clause.amount("halvedWhenPriorPenaltiesWithin2Years"))) {
      BigDecimal two = BigDecimal.valueOf(2);
      publicMu = publicMu.divide(two);
      commercialMu = commercialMu.divide(two);
    }
    return atLeast(facts, "publicForestMu", publicMu)
        || atLeast(facts, "commercialForestMu", commercialMu);
  }

  /** POL-3 / POL-4: some listed pollutant at or above the clause's multiple of the standard. */
  private static boolean exceeds(JsonNode facts, Clause clause) {
    JsonNode exceedances = facts.get("exceedances");
    if (exceedances == null || !exceedances.isArray()) {
      return false;
    }
    for (JsonNode exceedance : exceedances) {
      if (exceedance != null
          && exceedance.isObject()
          && text(exceedance, "pollutant").filter(clause.values()::contains).isPresent()
          && atLeast(exceedance, "multiple", clause.amount("multiple"))) {
        return true;
      }
    }
    return false;
  }

  /** Whether any of the named quantities, each on its own, reaches the clause's amount for it. */
  private static boolean anyAtLeast(JsonNode facts, Clause clause, String... fields) {
    for (String field : fields) {
      if (atLeast(facts, field, clause.amount(field))) {
        return true;
      }
    }
    return false;
  }

  private static boolean atLeast(JsonNode facts, String field, BigDecimal threshold) {
    return number(facts, field).filter(value -> value.compareTo(threshold) >= 0).isPresent();
  }

  private static Optional<BigDecimal> number(JsonNode facts, String field) {
    JsonNode node = facts.get(field);
    return node != null && node.isNumber() ? Optional.of(node.decimalValue()) : Optional.empty();
  }

  private static boolean isTrue(JsonNode facts, String field) {
    JsonNode node = facts.get(field);
    return node != null && node.isBoolean() && node.booleanValue();
  }

  private static Optional<String> text(JsonNode facts, String field) {
    JsonNode node = facts.get(field);
    return node != null && node.isString() ? Optional.of(node.stringValue()) : Optional.empty();
  }
}
