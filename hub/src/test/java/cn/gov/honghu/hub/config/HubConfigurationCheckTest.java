package cn.gov.honghu.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.support.ShippedRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A bad configuration stops the hub at start with a message that names the key. */
class HubConfigurationCheckTest {

  @TempDir Path dataDir;

  private Throwable startFailure(String... properties) {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(HubApplication.class)
            .web(WebApplicationType.NONE)
            .properties(properties)
            // A command-line argument: it wins over application.yml (default properties don't).
            .run("--hub.data-dir=" + dataDir, "--server.port=0")) {
      return null;
    } catch (Throwable failure) {
      return failure;
    }
  }

  /** As {@link #startFailure}, for keys application.yml sets, which default properties lose to. */
  private Throwable startFailureOnCommandLine(String... arguments) {
    String[] all = new String[arguments.length + 2];
    all[0] = "--hub.data-dir=" + dataDir;
    all[1] = "--server.port=0";
    for (int i = 0; i < arguments.length; i++) {
      all[i + 2] = "--" + arguments[i];
    }
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(HubApplication.class).web(WebApplicationType.NONE).run(all)) {
      return null;
    } catch (Throwable failure) {
      return failure;
    }
  }

  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static String[] agency(int i, String code, String key, String... extra) {
    String prefix = "hub.agencies[" + i + "].";
    String[] base = {
      prefix + "code=" + code,
      prefix + "name=" + code,
      prefix + "kind=administrative",
      prefix + "api-key-sha256=" + key
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    for (int e = 0; e < extra.length; e++) {
      all[base.length + e] = prefix + extra[e];
    }
    return all;
  }

  private static final String KEY_A = "a".repeat(64);
  private static final String KEY_B = "b".repeat(64);

  @Test
  void shouldNameTheKeyWhenTheRetentionScheduleIsNotACronExpression() {
    Throwable failure = startFailureOnCommandLine("hub.retention.schedule=every night");
    assertThat(messages(failure)).contains("hub.retention.schedule", "not a cron expression");
  }

  @Test
  void shouldNameTheKeyWhenThePersonalDataRetentionIsNotAPeriod() {
    Throwable failure = startFailureOnCommandLine("hub.retention.personal-data=ten years");
    assertThat(messages(failure)).contains("hub.retention.personal-data");
  }

  @Test
  void shouldNameTheKeyWhenTheDiskMinimumIsAboveTheWarningThreshold() {
    Throwable failure =
        startFailureOnCommandLine("hub.disk.warn-free=1GB", "hub.disk.min-free=2GB");
    assertThat(messages(failure)).contains("hub.disk.min-free", "larger than hub.disk.warn-free");
  }

  @Test
  void shouldNameTheKeyWhenAnAgencyHashIsNotHex() {
    // when
    Throwable failure = startFailure(agency(0, "water", "not-a-sha256"));
    // then
    assertThat(messages(failure)).contains("hub.agencies[0].apiKeySha256", "must match");
  }

  @Test
  void shouldNameTheKeyWhenAWebhookAgencyHasNoUrl() {
    Throwable failure = startFailure(agency(0, "water", KEY_A, "delivery.mode=webhook"));
    assertThat(messages(failure)).contains("hub.agencies[0].delivery.url");
  }

  @Test
  void shouldNameTheKeyWhenTwoAgenciesShareACode() {
    String[] first = agency(0, "water", KEY_A);
    String[] second = agency(1, "water", KEY_B);
    String[] both = new String[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    assertThat(messages(startFailure(both))).contains("hub.agencies[1].code");
  }

  @Test
  void shouldNameTheKeyWhenAnAgencySubscribesToAnUnknownWaterArea() {
    Throwable failure = startFailure(agency(0, "water", KEY_A, "water-areas[0]=no-such-lake"));
    assertThat(messages(failure)).contains("hub.agencies[0].water-areas[0]", "no-such-lake");
  }

  @Test
  void shouldNameTheKeyWhenTheDeliveryModeIsUnknown() {
    Throwable failure = startFailure(agency(0, "water", KEY_A, "delivery.mode=carrier-pigeon"));
    assertThat(messages(failure)).contains("hub.agencies[0].delivery.mode");
  }

  @Test
  void shouldRefuseToStartWithoutKeysWhenTheProdProfileIsActive() {
    Throwable failure = startFailure("spring.profiles.active=prod");
    assertThat(messages(failure)).contains("hub.agencies");
  }

  @Test
  void shouldNameTheFileWhenTheRulesFileIsMissing() {
    Throwable failure = startFailure("hub.rules-file=file:" + dataDir.resolve("none.yml"));
    assertThat(messages(failure)).contains("hub.rules-file");
  }

  @Test
  void shouldNameTheRowWhenTheRulesFileHasAnUnknownField() throws Exception {
    Path rules = dataDir.resolve("rules.yml");
    Files.writeString(
        rules,
        "version: x\nroutes:\n  - id: T1\n    type: CASE_TRANSFER\n    senders: [any]\n"
            + "    to: [police]\n    basis: b\n    colour: red\n");
    Throwable failure = startFailure("hub.rules-file=file:" + rules);
    assertThat(messages(failure)).contains("routes[0] (T1)", "colour");
  }

  @Test
  void shouldNameTheRowWhenARuleConditionNamesAnUnknownClause() throws Exception {
    // given the shipped rules file with a typo in a clause id
    Path rules = dataDir.resolve("rules.yml");
    Files.writeString(
        rules, ShippedRules.text().replace("when: [clause:TRADE-1] }", "when: [clause:TRADE-9] }"));

    // when
    Throwable failure = startFailure("hub.rules-file=file:" + rules);

    // then
    assertThat(messages(failure)).contains("rules row T1", "unknown condition clause:TRADE-9");
  }

  @Test
  void shouldNameTheClauseWhenAnAmountIsNegative() throws Exception {
    // given
    Path rules = dataDir.resolve("rules.yml");
    Files.writeString(
        rules,
        ShippedRules.text()
            .replace("{ fact: catchKg, atLeast: 500 }", "{ fact: catchKg, atLeast: -500 }"));

    // when
    Throwable failure = startFailure("hub.rules-file=file:" + rules);

    // then
    assertThat(messages(failure)).contains("FISH-1", rules.toString());
  }

  /** The repository's copy of shared/examples/hub-config.yml (with a note of 3 lines on top). */
  private static final Path EXAMPLE_COPY = Path.of("src/test/resources/examples/hub-config.yml");

  private static final int NOTE_LINES = 3;

  @Test
  void shouldStartWithTheSharedExampleConfiguration() {
    // given the deployment example of shared/examples (kept in the repository), as a new user
    // would pass it
    assertThat(EXAMPLE_COPY).as("run from the hub module").exists();
    // when
    Throwable failure =
        startFailure("spring.config.additional-location=file:" + EXAMPLE_COPY.toAbsolutePath());
    // then
    assertThat(failure).isNull();
  }

  @Test
  void shouldKeepTheCopyOfTheSharedExampleUpToDateWhenSharedIsBesideTheRepository()
      throws Exception {
    // given: ../shared beside the repository (absent on a bare checkout: nothing to compare)
    Path shared = Path.of("..", "..", "shared", "examples", "hub-config.yml").toAbsolutePath();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.exists(shared), "shared/ is not beside the repository: the copy is what is tested");
    // when
    List<String> copy = Files.readAllLines(EXAMPLE_COPY);
    // then
    assertThat(copy.subList(0, NOTE_LINES)).allMatch(line -> line.startsWith("#"));
    assertThat(copy.subList(NOTE_LINES, copy.size()))
        .as("hub/%s is a stale copy of %s", EXAMPLE_COPY, shared)
        .isEqualTo(Files.readAllLines(shared));
  }

  @Test
  void shouldRefuseWhenAHashIsUsedTwice() {
    String[] first = agency(0, "water", KEY_A);
    String[] second = agency(1, "market", KEY_A);
    String[] both = new String[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    assertThatThrownBy(
            () -> {
              Throwable failure = startFailure(both);
              if (failure != null) {
                throw failure;
              }
            })
        .hasStackTraceContaining("hub.agencies[1].api-key-sha256");
  }
}
