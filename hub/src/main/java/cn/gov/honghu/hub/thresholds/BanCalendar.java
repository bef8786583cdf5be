package cn.gov.honghu.hub.thresholds;

import java.time.LocalDate;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ban calendar of each water area (THRESHOLDS.md "Illegal fishing"): derives {@code inBanZone}
 * and {@code inBanPeriod} at a case's {@code occurredAt}, taken as a calendar date in the hub's
 * zone, both ends of every range included. Inside the ban period of a full-ban key water (Yangtze
 * Protection Law Art. 53) both hold; inside one of a water's ban seasons {@code inBanPeriod} holds.
 *
 * <p>Important: the date is taken in the hub's zone, not UTC: an instant late on 28 February UTC is
 * already 1 March in Asia/Shanghai.
 */
public final class BanCalendar {

  /**
   * A recurring closed season, {@code "MM-DD"} to {@code "MM-DD"}, both ends included; a season
   * whose start is after its end wraps the year end (12-01 to 02-28).
   */
  public record Season(MonthDay from, MonthDay to) {

    public Season {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }

    /** Parses {@code "MM-DD"} ends; a bad end is refused naming it. */
    public static Season of(String from, String to) {
      return new Season(monthDay(from), monthDay(to));
    }

    boolean contains(MonthDay day) {
      if (!from.isAfter(to)) {
        return !day.isBefore(from) && !day.isAfter(to);
      }
      return !day.isBefore(from) || !day.isAfter(to);
    }

    private static MonthDay monthDay(String value) {
      try {
        return MonthDay.parse("--" + value);
      } catch (DateTimeParseException | NullPointerException e) {
        throw new IllegalArgumentException("ban season end must be MM-DD, got " + value, e);
      }
    }
  }

  /**
   * One water area's calendar: {@code fullBan} marks a key water under the ten-year ban, in force
   * from {@code banFrom} to {@code banTo} (either open when null); {@code banSeasons} recur yearly.
   */
  public record WaterArea(
      String code, boolean fullBan, LocalDate banFrom, LocalDate banTo, List<Season> banSeasons) {

    public WaterArea {
      if (code == null || code.isBlank()) {
        throw new IllegalArgumentException("water area code is missing");
      }
      if (banFrom != null && banTo != null && banTo.isBefore(banFrom)) {
        throw new IllegalArgumentException(
            "water area " + code + ": banTo " + banTo + " is before banFrom " + banFrom);
      }
      banSeasons = banSeasons == null ? List.of() : List.copyOf(banSeasons);
    }

    boolean inFullBan(LocalDate date) {
      return fullBan
          && (banFrom == null || !date.isBefore(banFrom))
          && (banTo == null || !date.isAfter(banTo));
    }

    boolean inSeason(LocalDate date) {
      MonthDay day = MonthDay.from(date);
      return banSeasons.stream().anyMatch(season -> season.contains(day));
    }
  }

  private final Map<String, WaterArea> areas = new HashMap<>();
  private final ZoneId zone;

  public BanCalendar(List<WaterArea> areas, ZoneId zone) {
    this.zone = Objects.requireNonNull(zone, "zone");
    for (WaterArea area : areas) {
      if (this.areas.putIfAbsent(area.code(), area) != null) {
        throw new IllegalArgumentException("water area " + area.code() + ": duplicate code");
      }
    }
  }

  /**
   * The ban facts at a water area on the date {@code occurredAt} falls on in the hub's zone; {@link
   * Derived#NONE} for an unknown water area or an unknown time.
   */
  public Derived derive(String waterArea, OffsetDateTime occurredAt) {
    WaterArea area = waterArea == null ? null : areas.get(waterArea);
    if (area == null || occurredAt == null) {
      return Derived.NONE;
    }
    LocalDate date = occurredAt.atZoneSameInstant(zone).toLocalDate();
    boolean fullBan = area.inFullBan(date);
    return new Derived(fullBan, fullBan || area.inSeason(date));
  }
}
