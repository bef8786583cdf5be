package cn.gov.honghu.hub.deadlines;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * When a deadline falls due (THRESHOLDS.md "Counting"). The day of the opening is not counted: a
 * period is due at the end of the day {@code opening date + period} in the hub's zone. In {@code
 * working-days} mode a period in days counts working days only. In either mode a due date on a
 * non-working day (a weekend not listed as an extra working day, or a holiday) moves to the next
 * working day. A duration with a time part ({@code PT5S}) runs exactly that long from the opening
 * instant, so deadline behaviour is testable in seconds.
 */
public final class DeadlineCalendar {

  /** How periods in days are counted. */
  public enum Mode {
    CALENDAR,
    WORKING_DAYS
  }

  /** The last instant of a due date: its day ends at 23:59:59 in the hub's zone. */
  private static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59);

  private final Mode mode;
  private final Set<LocalDate> holidays;
  private final Set<LocalDate> extraWorkingDays;
  private final ZoneId zone;

  public DeadlineCalendar(
      Mode mode, Set<LocalDate> holidays, Set<LocalDate> extraWorkingDays, ZoneId zone) {
    this.mode = mode;
    this.holidays = Set.copyOf(holidays);
    this.extraWorkingDays = Set.copyOf(extraWorkingDays);
    this.zone = zone;
  }

  public ZoneId zone() {
    return zone;
  }

  /** A length from configuration: an ISO-8601 period ({@code P3D}, {@code P2M}) or duration. */
  public sealed interface Length permits DayLength, ExactLength {

    /** Parses {@code P3D}, {@code P2M}, {@code P1Y2M} or {@code PT5S}, {@code PT10M}. */
    static Length parse(String text) {
      String value = text == null ? "" : text.strip();
      if (value.contains("T")) {
        try {
          Duration duration = Duration.parse(value);
          if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("must be positive, got " + text);
          }
          return new ExactLength(duration);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("not an ISO-8601 duration: " + text, e);
        }
      }
      try {
        Period period = Period.parse(value);
        if (period.isNegative() || period.isZero()) {
          throw new IllegalArgumentException("must be positive, got " + text);
        }
        return new DayLength(period);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not an ISO-8601 period or duration: " + text, e);
      }
    }
  }

  /** A period counted in calendar dates. */
  public record DayLength(Period period) implements Length {}

  /** A duration counted exactly from the opening instant. */
  public record ExactLength(Duration duration) implements Length {}

  /** The due instant of a deadline of this length opened at {@code openedAt}. */
  public Instant dueAt(Instant openedAt, Length length) {
    if (length instanceof ExactLength exact) {
      return openedAt.plus(exact.duration());
    }
    Period period = ((DayLength) length).period();
    LocalDate opened = LocalDate.ofInstant(openedAt, zone);
    LocalDate due;
    if (mode == Mode.WORKING_DAYS && period.getYears() == 0 && period.getMonths() == 0) {
      due = opened;
      for (int counted = 0; counted < period.getDays(); ) {
        due = due.plusDays(1);
        if (isWorkingDay(due)) {
          counted++;
        }
      }
    } else {
      due = opened.plus(period);
    }
    return endOf(nextWorkingDay(due));
  }

  /** The due instant of a deadline whose date is given (D5: the notice's reply date). */
  public Instant dueAtEndOf(LocalDate date) {
    return endOf(nextWorkingDay(date));
  }

  public boolean isWorkingDay(LocalDate date) {
    if (holidays.contains(date)) {
      return false;
    }
    if (extraWorkingDays.contains(date)) {
      return true;
    }
    DayOfWeek day = date.getDayOfWeek();
    return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
  }

  private LocalDate nextWorkingDay(LocalDate date) {
    LocalDate day = date;
    while (!isWorkingDay(day)) {
      day = day.plusDays(1);
    }
    return day;
  }

  private Instant endOf(LocalDate date) {
    return date.atTime(END_OF_DAY).atZone(zone).toInstant();
  }
}
