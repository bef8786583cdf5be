package cn.gov.honghu.hub.config;

import cn.gov.honghu.hub.deadlines.DeadlineCalendar.Mode;
import java.time.LocalDate;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The counting calendar under {@code hub.deadlines.*} (THRESHOLDS.md "Counting"): {@code calendar}
 * ({@code calendar} or {@code working-days}), the dates off ({@code holidays}) and the weekend
 * dates worked ({@code extra-working-days}). Typed, so Spring binds a YAML list and a
 * comma-separated string alike and names the key of a bad date. The deadline lengths share the
 * prefix ({@code hub.deadlines.D1: P3D}) and are bound as a map in {@link HubProperties}; these
 * three keys are not lengths.
 */
@ConfigurationProperties("hub.deadlines")
public record DeadlineCalendarProperties(
    @DefaultValue("calendar") Mode calendar,
    @DefaultValue List<LocalDate> holidays,
    @DefaultValue List<LocalDate> extraWorkingDays) {}
