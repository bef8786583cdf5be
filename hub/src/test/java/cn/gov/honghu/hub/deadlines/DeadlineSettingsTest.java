package cn.gov.honghu.hub.deadlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.deadlines.DeadlineCalendar.Mode;
import cn.gov.honghu.hub.rules.RulesFile;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deadline lengths under {@code hub.deadlines.*}, as Spring binds them into a map. The calendar
 * keys, read from a configuration file: {@code config.DeadlineConfigurationFileTest}.
 */
class DeadlineSettingsTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final DeadlineRules RULES = RulesFile.shipped().deadlines();

  private static Map<String, String> defaults() {
    Map<String, String> config = new HashMap<>();
    for (String id : new String[] {"D1", "D2", "D3", "D6", "D7"}) {
      config.put(id, "P3D");
    }
    config.put("D4", "P2M");
    config.put("D4-urgent", "P15D");
    return config;
  }

  private static DeadlineSettings settings(Map<String, String> lengths) {
    return DeadlineSettings.from(lengths, Mode.CALENDAR, List.of(), List.of(), RULES, SHANGHAI);
  }

  @Test
  void shouldSkipTheCalendarKeysInEverySpellingSpringBindsThemInto() {
    // given: the lengths map as Spring fills it from a YAML list and from a string
    Map<String, String> config = defaults();
    config.put("calendar", "working-days");
    config.put("holidays.0", "2026-10-01");
    config.put("holidays[1]", "2026-10-02");
    config.put("extra-working-days.0", "2026-10-10");
    config.put("extraWorkingDays", "2026-09-27");

    // when
    DeadlineSettings settings = settings(config);

    // then: they are not taken for deadline ids, and the lengths are read case-insensitively
    assertThat(settings.length("d4-urgent")).isPresent();
    assertThat(settings.length("holidays.0")).isEmpty();
  }

  @Test
  void shouldNameTheKeyWhenAValueIsBad() {
    Map<String, String> badLength = defaults();
    badLength.put("D1", "three days");
    assertThatThrownBy(() -> settings(badLength)).hasMessageContaining("hub.deadlines.D1");

    Map<String, String> unknown = defaults();
    unknown.put("D9", "P3D");
    assertThatThrownBy(() -> settings(unknown)).hasMessageContaining("hub.deadlines.D9");

    Map<String, String> missing = defaults();
    missing.remove("D3");
    assertThatThrownBy(() -> settings(missing)).hasMessageContaining("hub.deadlines.D3");
  }
}
