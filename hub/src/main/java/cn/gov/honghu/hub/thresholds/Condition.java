package cn.gov.honghu.hub.thresholds;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * One condition of the rules file's condition language: a test of one fact ({@link AtLeast}, {@link
 * IsTrue}, {@link In}), a combination ({@link AllOf}, {@link AnyOf}), a test over the objects of an
 * array fact ({@link Some}) or a named condition ({@link Ref}).
 *
 * <p>Important: a fact that is absent, null or of the wrong JSON type never meets a test, and
 * testing never throws on the sender's facts: an unknown quantity is not zero.
 */
public sealed interface Condition {

  /**
   * Whether the facts meet this condition.
   *
   * @param facts looks a fact up by name, null when absent
   * @param scale multiplies every {@link AtLeast} amount (a clause's {@code scaleAmounts})
   */
  boolean holds(Function<String, JsonNode> facts, BigDecimal scale);

  /** This condition in the rules file's own keys, as plain maps and lists (for JSON). */
  Map<String, Object> describe();

  /** The fact is a number at or above the amount, compared exactly as {@link BigDecimal}. */
  record AtLeast(String fact, BigDecimal amount) implements Condition {

    public AtLeast {
      Objects.requireNonNull(fact, "fact");
      Objects.requireNonNull(amount, "amount");
    }

    @Override
    public boolean holds(Function<String, JsonNode> facts, BigDecimal scale) {
      JsonNode node = facts.apply(fact);
      // decimalValueOpt is empty for NaN and infinities, which a lenient parser may let through
      return node != null
          && node.isNumber()
          && node.decimalValueOpt()
              .filter(value -> value.compareTo(amount.multiply(scale)) >= 0)
              .isPresent();
    }

    @Override
    public Map<String, Object> describe() {
      return plain("fact", fact, "atLeast", amount);
    }
  }

  /** The fact is the JSON boolean {@code true}. */
  record IsTrue(String fact) implements Condition {

    public IsTrue {
      Objects.requireNonNull(fact, "fact");
    }

    @Override
    public boolean holds(Function<String, JsonNode> facts, BigDecimal scale) {
      JsonNode node = facts.apply(fact);
      return node != null && node.isBoolean() && node.booleanValue();
    }

    @Override
    public Map<String, Object> describe() {
      return plain("fact", fact, "isTrue", true);
    }
  }

  /** The fact is a string equal to one of the values. */
  record In(String fact, List<String> values) implements Condition {

    public In {
      Objects.requireNonNull(fact, "fact");
      values = List.copyOf(values);
    }

    @Override
    public boolean holds(Function<String, JsonNode> facts, BigDecimal scale) {
      JsonNode node = facts.apply(fact);
      return node != null && node.isString() && values.contains(node.stringValue());
    }

    @Override
    public Map<String, Object> describe() {
      return plain("fact", fact, "in", values);
    }
  }

  /** Every condition holds. */
  record AllOf(List<Condition> conditions) implements Condition {

    public AllOf {
      conditions = List.copyOf(conditions);
    }

    @Override
    public boolean holds(Function<String, JsonNode> facts, BigDecimal scale) {
      return conditions.stream().allMatch(condition -> condition.holds(facts, scale));
    }

    @Override
    public Map<String, Object> describe() {
      return plain("allOf", conditions.stream().map(Condition::describe).toList());
    }
  }

  /** At least one condition holds. */
  record AnyOf(List<Condition> conditions) implements Condition {

    public AnyOf {
      conditions = List.copyOf(conditions);
    }

    @Override
    public boolean holds(Function<String, JsonNode> facts, BigDecimal scale) {
      return conditions.stream().anyMatch(condition -> condition.holds(facts, scale));
    }

    @Override
    public Map<String, Object> describe() {
      return plain("anyOf", conditions.stream().map(Condition::describe).toList());
    }
  }

  /**
   * Some object of the array fact meets every condition of {@code where}, whose facts are that
   * object's fields. A fact that is not an array, and elements that are not objects, meet nothing.
   */
  record Some(String array, List<Condition> where) implements Condition {

    public Some {
      Objects.requireNonNull(array, "array");
      where = List.copyOf(where);
    }

    @Override
    public boolean holds(Function<String, JsonNode> facts, BigDecimal scale) {
      JsonNode elements = facts.apply(array);
      if (elements == null || !elements.isArray()) {
        return false;
      }
      for (JsonNode element : elements) {
        if (element.isObject()
            && where.stream().allMatch(condition -> condition.holds(element::get, scale))) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Map<String, Object> describe() {
      return plain("some", array, "where", where.stream().map(Condition::describe).toList());
    }
  }

  /** A named condition of the rules file, resolved when the file is loaded. */
  record Ref(String name, Condition target) implements Condition {

    public Ref {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(target, "target");
    }

    @Override
    public boolean holds(Function<String, JsonNode> facts, BigDecimal scale) {
      return target.holds(facts, scale);
    }

    @Override
    public Map<String, Object> describe() {
      return plain("ref", name);
    }
  }

  /** An ordered map of alternating keys and values. */
  private static Map<String, Object> plain(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
