package cn.gov.honghu.hub.deadlines;

import cn.gov.honghu.hub.deadlines.DeadlineCalendar.Length;
import cn.gov.honghu.hub.deadlines.DeadlineCalendar.Mode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The deadline configuration under {@code hub.deadlines.*} (THRESHOLDS.md "Counting"): the length
 * of each deadline ({@code D1: P3D}, {@code D4-urgent: P15D}, {@code D1: PT5S} in a test), the
 * counting mode ({@code calendar: calendar | working-days}), and the dates off ({@code holidays})
 * and weekend dates worked ({@code extra-working-days}). Lists come either as YAML lists (bound as
 * {@code holidays[0]}, {@code holidays[1]}, ...) or comma-separated. A bad value is refused naming
 * its key.
 */
public final class DeadlineSettings {

  private static final String PREFIX = "hub.deadlines.";

  private final Map<String, Length> lengths;
  private final DeadlineCalendar calendar;

  private DeadlineSettings(Map<String, Length> lengths, DeadlineCalendar calendar) {
    this.lengths = Map.copyOf(lengths);
    this.calendar = calendar;
  }

  /** Reads the configuration map; every deadline of {@code rules} must have its length. */
  public static DeadlineSettings from(
      Map<String, String> config, DeadlineRules rules, ZoneId zone) {
    Map<String, String> entries = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    entries.putAll(config);
    Mode mode = Mode.CALENDAR;
    Set<LocalDate> holidays = new LinkedHashSet<>();
    Set<LocalDate> extraWorkingDays = new LinkedHashSet<>();
    Map<String, Length> lengths = new HashMap<>();
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      String list = key.replaceAll("\\[\\d+]$", "");
      if (key.equalsIgnoreCase("calendar")) {
        mode =
            switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
              case "calendar" -> Mode.CALENDAR;
              case "working-days" -> Mode.WORKING_DAYS;
              default -> throw bad(key, "must be calendar or working-days, got '" + value + "'");
            };
      } else if (list.equalsIgnoreCase("holidays")) {
        holidays.addAll(dates(key, value));
      } else if (list.equalsIgnoreCase("extra-working-days")
          || list.equalsIgnoreCase("extraWorkingDays")) {
        extraWorkingDays.addAll(dates(key, value));
      } else {
        String id = key.toUpperCase(java.util.Locale.ROOT);
        boolean known =
            rules.find(id).isPresent()
                || rules.all().stream()
                    .anyMatch(d -> id.equalsIgnoreCase(String.valueOf(d.urgentDuration())));
        if (!known) {
          throw bad(key, "no deadline of the rules file has this id");
        }
        try {
          lengths.put(id, Length.parse(value));
        } catch (IllegalArgumentException e) {
          throw bad(key, e.getMessage());
        }
      }
    }
    for (DeadlineRules.Deadline deadline : rules.all()) {
      if (deadline.dueDateField() == null && !lengths.containsKey(deadline.id())) {
        throw bad(deadline.id(), "missing: deadline " + deadline.id() + " needs a length");
      }
      if (deadline.urgentDuration() != null
          && !lengths.containsKey(deadline.urgentDuration().toUpperCase(java.util.Locale.ROOT))) {
        throw bad(deadline.urgentDuration(), "missing: the urgent length of " + deadline.id());
      }
    }
    return new DeadlineSettings(
        lengths, new DeadlineCalendar(mode, holidays, extraWorkingDays, zone));
  }

  public Optional<Length> length(String key) {
    return Optional.ofNullable(lengths.get(key.toUpperCase(java.util.Locale.ROOT)));
  }

  public DeadlineCalendar calendar() {
    return calendar;
  }

  private static Set<LocalDate> dates(String key, String value) {
    Set<LocalDate> dates = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        dates.add(LocalDate.parse(part.strip()));
      } catch (DateTimeParseException e) {
        throw bad(key, "not a date (YYYY-MM-DD): '" + part.strip() + "'");
      }
    }
    return dates;
  }

  private static IllegalArgumentException bad(String key, String problem) {
    return new IllegalArgumentException(PREFIX + key + ": " + problem);
  }
}
