package cn.gov.honghu.hub.thresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import cn.gov.honghu.hub.thresholds.BanCalendar.Season;
import cn.gov.honghu.hub.thresholds.BanCalendar.WaterArea;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BanCalendarTest {

  private static final Derived BOTH = new Derived(true, true);
  private static final Derived PERIOD = new Derived(false, true);
  private static final Derived NONE = Derived.NONE;

  private final BanCalendar calendar =
      new BanCalendar(
          List.of(
              new WaterArea(
                  "YANGTZE-MAIN",
                  true,
                  LocalDate.of(2021, 1, 1),
                  LocalDate.of(2030, 12, 31),
                  List.of()),
              new WaterArea("HONGHU-LAKE", false, null, null, List.of(Season.of("03-01", "06-30"))),
              new WaterArea("WINTER-POND", false, null, null, List.of(Season.of("12-01", "02-28"))),
              new WaterArea(
                  "KEY-WITH-SEASON",
                  true,
                  LocalDate.of(2021, 1, 1),
                  LocalDate.of(2021, 12, 31),
                  List.of(Season.of("04-01", "04-30")))),
          ZoneId.of("Asia/Shanghai"));

  static Stream<Arguments> calendarTable() {
    return Stream.of(
        // full-ban key water, ban-from and ban-to days inclusive (dates in Asia/Shanghai)
        arguments("YANGTZE-MAIN", "2020-12-31T12:00:00+08:00", NONE),
        arguments("YANGTZE-MAIN", "2021-01-01T00:00:00+08:00", BOTH),
        arguments("YANGTZE-MAIN", "2020-12-31T16:00:00Z", BOTH),
        arguments("YANGTZE-MAIN", "2020-12-31T15:59:59Z", NONE),
        arguments("YANGTZE-MAIN", "2025-07-15T10:00:00+08:00", BOTH),
        arguments("YANGTZE-MAIN", "2030-12-31T23:59:59+08:00", BOTH),
        arguments("YANGTZE-MAIN", "2031-01-01T00:00:00+08:00", NONE),
        arguments("YANGTZE-MAIN", "2030-12-31T16:00:00Z", NONE),
        // season, both ends inclusive
        arguments("HONGHU-LAKE", "2025-02-28T12:00:00+08:00", NONE),
        arguments("HONGHU-LAKE", "2025-03-01T00:00:00+08:00", PERIOD),
        arguments("HONGHU-LAKE", "2025-06-30T23:59:59+08:00", PERIOD),
        arguments("HONGHU-LAKE", "2025-07-01T00:00:00+08:00", NONE),
        // zone date shift: late 28 Feb UTC is 1 Mar in Asia/Shanghai
        arguments("HONGHU-LAKE", "2025-02-28T16:00:00Z", PERIOD),
        arguments("HONGHU-LAKE", "2025-02-28T15:59:59Z", NONE),
        arguments("HONGHU-LAKE", "2025-07-01T00:30:00+09:00", PERIOD),
        // season wrapping the year end
        arguments("WINTER-POND", "2025-11-30T12:00:00+08:00", NONE),
        arguments("WINTER-POND", "2025-12-01T00:00:00+08:00", PERIOD),
        arguments("WINTER-POND", "2025-12-31T23:00:00+08:00", PERIOD),
        arguments("WINTER-POND", "2026-01-01T00:00:00+08:00", PERIOD),
        arguments("WINTER-POND", "2026-02-28T23:59:59+08:00", PERIOD),
        arguments("WINTER-POND", "2026-03-01T00:00:00+08:00", NONE),
        arguments("WINTER-POND", "2026-02-28T16:00:00Z", NONE),
        // a key water's season outside its full-ban period
        arguments("KEY-WITH-SEASON", "2021-12-31T12:00:00+08:00", BOTH),
        arguments("KEY-WITH-SEASON", "2022-04-01T12:00:00+08:00", PERIOD),
        arguments("KEY-WITH-SEASON", "2022-05-01T12:00:00+08:00", NONE),
        // unknown water area
        arguments("UNKNOWN", "2025-04-01T12:00:00+08:00", NONE));
  }

  @ParameterizedTest(name = "{0} at {1}")
  @MethodSource("calendarTable")
  void shouldDeriveBanFactsWhenTheDateInTheZoneFallsInOrOutOfARange(
      String water, String occurredAt, Derived expected) {
    // given
    OffsetDateTime at = OffsetDateTime.parse(occurredAt);

    // when
    Derived derived = calendar.derive(water, at);

    // then
    assertThat(derived).isEqualTo(expected);
  }

  @Test
  void shouldDeriveNothingWhenWaterAreaOrTimeIsUnknown() {
    // given / when / then
    assertThat(calendar.derive(null, OffsetDateTime.parse("2025-04-01T12:00:00+08:00")))
        .isEqualTo(NONE);
    assertThat(calendar.derive("YANGTZE-MAIN", null)).isEqualTo(NONE);
  }

  @Test
  void shouldRefuseCalendarWhenAWaterAreaIsDuplicatedOrASeasonIsMalformed() {
    // given
    WaterArea area = new WaterArea("A", false, null, null, List.of());

    // when / then
    assertThatThrownBy(() -> new BanCalendar(List.of(area, area), ZoneId.of("Asia/Shanghai")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("A");
    assertThatThrownBy(() -> Season.of("13-01", "02-28"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("13-01");
    assertThatThrownBy(
            () ->
                new WaterArea(
                    "B", true, LocalDate.of(2030, 1, 1), LocalDate.of(2021, 1, 1), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("B");
  }
}
