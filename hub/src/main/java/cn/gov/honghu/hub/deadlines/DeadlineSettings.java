package cn.gov.honghu.hub.deadlines;

import cn.gov.honghu.hub.deadlines.DeadlineCalendar.Length;
import cn.gov.honghu.hub.deadlines.DeadlineCalendar.Mode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The deadline configuration under {@code hub.deadlines.*} (THRESHOLDS.md "Counting"): the length
 * of each deadline ({@code D1: P3D}, {@code D4-urgent: P15D}, {@code D1: PT5S} in a test) and the
 * counting calendar (mode, dates off, weekend dates worked). The lengths come as a map of every key
 * under the prefix; the calendar's keys ({@link #CALENDAR_KEYS}, a YAML list binding as {@code
 * holidays.0} or {@code holidays[0]}) are bound separately, typed, and skipped here. A bad value is
 * refused naming its key.
 */
public final class DeadlineSettings {

  private static final String PREFIX = "hub.deadlines.";

  /** The calendar's keys under the prefix, in either spelling; everything else is a length. */
  static final Set<String> CALENDAR_KEYS =
      Set.of("calendar", "holidays", "extra-working-days", "extraworkingdays");

  private final Map<String, Length> lengths;
  private final DeadlineCalendar calendar;

  private DeadlineSettings(Map<String, Length> lengths, DeadlineCalendar calendar) {
    this.lengths = Map.copyOf(lengths);
    this.calendar = calendar;
  }

  /**
   * Reads the lengths from {@code config} (every key under {@code hub.deadlines}); every deadline
   * of {@code rules} must have its length.
   */
  public static DeadlineSettings from(
      Map<String, String> config,
      Mode mode,
      Collection<LocalDate> holidays,
      Collection<LocalDate> extraWorkingDays,
      DeadlineRules rules,
      ZoneId zone) {
    Map<String, Length> lengths = new HashMap<>();
    for (Map.Entry<String, String> entry : config.entrySet()) {
      String key = entry.getKey();
      if (isCalendarKey(key)) {
        continue;
      }
      String id = key.toUpperCase(Locale.ROOT);
      boolean known =
          rules.find(id).isPresent()
              || rules.all().stream()
                  .anyMatch(d -> id.equalsIgnoreCase(String.valueOf(d.urgentDuration())));
      if (!known) {
        throw bad(key, "no deadline of the rules file has this id");
      }
      try {
        lengths.put(id, Length.parse(entry.getValue()));
      } catch (IllegalArgumentException e) {
        throw bad(key, e.getMessage());
      }
    }
    for (DeadlineRules.Deadline deadline : rules.all()) {
      if (deadline.dueDateField() == null && !lengths.containsKey(deadline.id())) {
        throw bad(deadline.id(), "missing: deadline " + deadline.id() + " needs a length");
      }
      if (deadline.urgentDuration() != null
          && !lengths.containsKey(deadline.urgentDuration().toUpperCase(Locale.ROOT))) {
        throw bad(deadline.urgentDuration(), "missing: the urgent length of " + deadline.id());
      }
    }
    return new DeadlineSettings(
        lengths,
        new DeadlineCalendar(
            mode, new LinkedHashSet<>(holidays), new LinkedHashSet<>(extraWorkingDays), zone));
  }

  /** {@code holidays}, {@code holidays.0}, {@code holidays[0]}: the list's name before an index. */
  private static boolean isCalendarKey(String key) {
    String name = key.replaceAll("(\\[\\d+]|\\.\\d+)$", "").toLowerCase(Locale.ROOT);
    return CALENDAR_KEYS.contains(name);
  }

  public Optional<Length> length(String key) {
    return Optional.ofNullable(lengths.get(key.toUpperCase(Locale.ROOT)));
  }

  public DeadlineCalendar calendar() {
    return calendar;
  }

  private static IllegalArgumentException bad(String key, String problem) {
    return new IllegalArgumentException(PREFIX + key + ": " + problem);
  }
}
