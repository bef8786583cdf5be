package cn.gov.honghu.hub.deadlines;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.config.DeadlineCalendarProperties;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.rules.RulesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code hub.deadlines.*} as an operator writes it: a YAML file given with {@code
 * spring.config.additional-location}, read by Spring Boot's own config-data loading and binding.
 * Both documented forms of {@code holidays} and {@code extra-working-days} must work.
 */
class DeadlineConfigurationFileTest {

  private static final String LENGTHS =
      """
          D1: P3D
          D2: P3D
          D3: P3D
          D4: P2M
          D4-urgent: P15D
          D6: P2M
          D7: P3D
      """;

  @TempDir Path folder;

  @Test
  void shouldReadHolidaysAndExtraWorkingDaysGivenAsYamlLists() throws IOException {
    Path file =
        write(
            """
            hub:
              deadlines:
                calendar: working-days
                holidays: ['2026-12-08', '2026-12-10']
                extra-working-days:
                  - 2026-12-12
            """
                + LENGTHS);

    runner(file)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertDecemberCalendar(context.getBean(DeadlineSettings.class).calendar());
            });
  }

  @Test
  void shouldReadHolidaysAndExtraWorkingDaysGivenCommaSeparated() throws IOException {
    Path file =
        write(
            """
            hub:
              deadlines:
                calendar: working-days
                holidays: 2026-12-08, 2026-12-10
                extra-working-days: '2026-12-12'
            """
                + LENGTHS);

    runner(file)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertDecemberCalendar(context.getBean(DeadlineSettings.class).calendar());
            });
  }

  @Test
  void shouldRefuseToStartNamingTheKeyOfABadDateOrMode() throws IOException {
    Path badDate =
        write(
            """
            hub:
              deadlines:
                holidays: ['2026-12-08', '8 December']
            """
                + LENGTHS);
    runner(badDate)
        .run(
            context ->
                assertThat(causes(context.getStartupFailure()))
                    .contains("hub.deadlines.holidays[1]", "8 December"));

    Path badMode = write("hub:\n  deadlines:\n    calendar: lunar\n" + LENGTHS);
    runner(badMode)
        .run(
            context ->
                assertThat(causes(context.getStartupFailure()))
                    .contains("hub.deadlines.calendar", "lunar"));
  }

  /** Every message of a failure's cause chain, as the start-up report shows them. */
  private static String causes(Throwable failure) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  /** 2026-12-08 (Tue) and 12-10 (Thu) off, Saturday 12-12 worked; other weekdays as usual. */
  private static void assertDecemberCalendar(DeadlineCalendar calendar) {
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-12-07"))).isTrue();
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-12-08"))).isFalse();
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-12-09"))).isTrue();
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-12-10"))).isFalse();
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-12-12"))).isTrue();
    assertThat(calendar.isWorkingDay(LocalDate.parse("2026-12-13"))).isFalse();
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(folder, "hub-config", ".yml");
    Files.writeString(file, yaml);
    return file;
  }

  /** Only the deadline wiring, with the operator's file as Spring Boot reads it at start. */
  private static ApplicationContextRunner runner(Path file) {
    return new ApplicationContextRunner()
        .withInitializer(new ConfigDataApplicationContextInitializer())
        .withPropertyValues(
            "spring.config.location=file:" + file, "spring.config.name=none-but-the-file")
        .withUserConfiguration(DeadlineWiring.class);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({HubProperties.class, DeadlineCalendarProperties.class})
  static class DeadlineWiring {

    @Bean
    DeadlineSettings deadlineSettings(HubProperties hub, DeadlineCalendarProperties calendar) {
      return new DeadlineConfiguration()
          .deadlineSettings(hub, calendar, RulesFile.shipped().deadlines());
    }
  }
}
