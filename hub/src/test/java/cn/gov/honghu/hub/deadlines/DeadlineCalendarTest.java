package cn.gov.honghu.hub.deadlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import cn.gov.honghu.hub.deadlines.DeadlineCalendar.Length;
import cn.gov.honghu.hub.deadlines.DeadlineCalendar.Mode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Due dates of THRESHOLDS.md "Counting", in both modes, across weekends and holidays. */
class DeadlineCalendarTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  /** National Day 2026: 1-7 October off, Saturday 10 October worked. */
  private static final Set<LocalDate> HOLIDAYS =
      Set.of(
          LocalDate.parse("2026-10-01"),
          LocalDate.parse("2026-10-02"),
          LocalDate.parse("2026-10-03"),
          LocalDate.parse("2026-10-04"),
          LocalDate.parse("2026-10-05"),
          LocalDate.parse("2026-10-06"),
          LocalDate.parse("2026-10-07"));

  private static final Set<LocalDate> WORKED_WEEKENDS = Set.of(LocalDate.parse("2026-10-10"));

  static Stream<Arguments> dueDates() {
    return Stream.of(
        // the spec's example: accepted 5 May, P3D, due at the end of 8 May (a Friday)
        arguments(Mode.CALENDAR, "2026-05-05T10:00:00+08:00", "P3D", "2026-05-08T23:59:59+08:00"),
        // the opening day is not counted even when opened a second before midnight
        arguments(Mode.CALENDAR, "2026-05-05T23:59:59+08:00", "P3D", "2026-05-08T23:59:59+08:00"),
        // 5 May 17:00 UTC is already 6 May in Shanghai: due 9 May, a Saturday, moves to Monday
        arguments(Mode.CALENDAR, "2026-05-05T17:00:00Z", "P3D", "2026-05-11T23:59:59+08:00"),
        // calendar days ending on a Sunday move to Monday
        arguments(Mode.CALENDAR, "2026-05-07T09:00:00+08:00", "P3D", "2026-05-11T23:59:59+08:00"),
        // calendar days ending on a holiday move past the holidays to the next working day
        arguments(Mode.CALENDAR, "2026-09-28T09:00:00+08:00", "P3D", "2026-10-08T23:59:59+08:00"),
        // months: 15 January 2027 + P2M = 15 March 2027, a Monday
        arguments(Mode.CALENDAR, "2027-01-15T09:00:00+08:00", "P2M", "2027-03-15T23:59:59+08:00"),
        // working days across a weekend: Friday + 3 working days = Wednesday
        arguments(
            Mode.WORKING_DAYS, "2026-05-08T09:00:00+08:00", "P3D", "2026-05-13T23:59:59+08:00"),
        // working days across the holidays and an adjusted working Saturday
        arguments(
            Mode.WORKING_DAYS, "2026-09-30T09:00:00+08:00", "P3D", "2026-10-10T23:59:59+08:00"),
        // the same in calendar mode: 3 October is a holiday, the next working day is 8 October
        arguments(Mode.CALENDAR, "2026-09-30T09:00:00+08:00", "P3D", "2026-10-08T23:59:59+08:00"),
        // months in working-days mode still move off a non-working day (15 Aug 2026: Saturday)
        arguments(
            Mode.WORKING_DAYS, "2026-06-15T09:00:00+08:00", "P2M", "2026-08-17T23:59:59+08:00"));
  }

  @ParameterizedTest(name = "{0} {1} + {2} = {3}")
  @MethodSource("dueDates")
  void shouldFallDueAtTheEndOfTheCountedDayWhenAPeriodRuns(
      Mode mode, String opened, String length, String due) {
    // given
    DeadlineCalendar calendar = new DeadlineCalendar(mode, HOLIDAYS, WORKED_WEEKENDS, SHANGHAI);

    // when
    Instant dueAt = calendar.dueAt(OffsetDateTime.parse(opened).toInstant(), Length.parse(length));

    // then
    assertThat(dueAt).isEqualTo(OffsetDateTime.parse(due).toInstant());
  }

  @Test
  void shouldRunExactlyThatLongWhenTheLengthHasATimePart() {
    // given: a Saturday, which a duration does not care about
    DeadlineCalendar calendar =
        new DeadlineCalendar(Mode.WORKING_DAYS, HOLIDAYS, WORKED_WEEKENDS, SHANGHAI);
    Instant opened = OffsetDateTime.parse("2026-05-09T10:00:00+08:00").toInstant();

    // when / then
    assertThat(calendar.dueAt(opened, Length.parse("PT5S"))).isEqualTo(opened.plusSeconds(5));
  }

  @Test
  void shouldMoveAGivenDueDateOffANonWorkingDay() {
    // given
    DeadlineCalendar calendar = new DeadlineCalendar(Mode.CALENDAR, HOLIDAYS, Set.of(), SHANGHAI);

    // when / then: a reply date on National Day moves to 8 October
    assertThat(calendar.dueAtEndOf(LocalDate.parse("2026-10-02")))
        .isEqualTo(OffsetDateTime.parse("2026-10-08T23:59:59+08:00").toInstant());
    assertThat(calendar.dueAtEndOf(LocalDate.parse("2026-12-31")))
        .isEqualTo(OffsetDateTime.parse("2026-12-31T23:59:59+08:00").toInstant());
  }

  @Test
  void shouldRefuseALengthThatIsNotAPositiveIsoPeriodOrDuration() {
    assertThatThrownBy(() -> Length.parse("3 days")).hasMessageContaining("3 days");
    assertThatThrownBy(() -> Length.parse("P0D")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Length.parse("PT-5S")).hasMessageContaining("positive");
    assertThat(Length.parse("P15D")).isInstanceOf(DeadlineCalendar.DayLength.class);
    assertThat(Length.parse("PT10M")).isInstanceOf(DeadlineCalendar.ExactLength.class);
  }
}
