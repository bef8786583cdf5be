package cn.gov.honghu.hub.deadlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.rules.RulesFile;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code hub.deadlines.*} configuration, as Spring binds it into a map. */
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

  @Test
  void shouldReadListsBoundAsIndexedKeysOrCommaSeparated() {
    // given
    Map<String, String> config = defaults();
    config.put("calendar", "working-days");
    config.put("holidays[0]", "2026-10-01");
    config.put("holidays[1]", "2026-10-02");
    config.put("extra-working-days", "2026-10-10, 2026-09-27");

    // when
    DeadlineSettings settings = DeadlineSettings.from(config, RULES, SHANGHAI);

    // then
    DeadlineCalendar calendar = settings.calendar();
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-01"))).isFalse();
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-02"))).isFalse();
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-10"))).isTrue();
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-09-27"))).isTrue();
    assertThat(settings.length("d4-urgent")).isPresent();
  }

  @Test
  void shouldNameTheKeyWhenAValueIsBad() {
    Map<String, String> badLength = defaults();
    badLength.put("D1", "three days");
    assertThatThrownBy(() -> DeadlineSettings.from(badLength, RULES, SHANGHAI))
        .hasMessageContaining("hub.deadlines.D1");

    Map<String, String> badDate = defaults();
    badDate.put("holidays[0]", "1 October");
    assertThatThrownBy(() -> DeadlineSettings.from(badDate, RULES, SHANGHAI))
        .hasMessageContaining("hub.deadlines.holidays[0]");

    Map<String, String> badMode = defaults();
    badMode.put("calendar", "lunar");
    assertThatThrownBy(() -> DeadlineSettings.from(badMode, RULES, SHANGHAI))
        .hasMessageContaining("hub.deadlines.calendar");

    Map<String, String> unknown = defaults();
    unknown.put("D9", "P3D");
    assertThatThrownBy(() -> DeadlineSettings.from(unknown, RULES, SHANGHAI))
        .hasMessageContaining("hub.deadlines.D9");

    Map<String, String> missing = defaults();
    missing.remove("D3");
    assertThatThrownBy(() -> DeadlineSettings.from(missing, RULES, SHANGHAI))
        .hasMessageContaining("hub.deadlines.D3");
  }
}
