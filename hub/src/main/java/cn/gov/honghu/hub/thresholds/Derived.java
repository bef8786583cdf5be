package cn.gov.honghu.hub.thresholds;

/**
 * Facts the hub derives itself (from the ban calendar) rather than reads from the sender. A derived
 * {@code true} holds whatever the sender sent; a sender's {@code true} is kept, so the evaluator
 * ORs the two.
 */
public record Derived(boolean inBanZone, boolean inBanPeriod) {

  /** Nothing derived: the sender's facts stand alone. */
  public static final Derived NONE = new Derived(false, false);

  /** Whether the hub derived the named fact as true. */
  public boolean holds(String fact) {
    return switch (fact) {
      case "inBanZone" -> inBanZone;
      case "inBanPeriod" -> inBanPeriod;
      default -> false;
    };
  }
}
