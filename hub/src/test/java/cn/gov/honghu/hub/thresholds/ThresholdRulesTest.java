package cn.gov.honghu.hub.thresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ThresholdRulesTest {

  @Test
  void shouldLoadEveryClauseWhenTheShippedFileIsRead() {
    // given / when
    ThresholdRules rules = ThresholdRules.shipped();

    // then
    assertThat(rules.clauses())
        .extracting(ThresholdRules.Clause::id)
        .containsExactly(
            "FISH-1", "FISH-2", "FISH-3", "FISH-4", "TRADE-1", "POL-1", "POL-2", "POL-3", "POL-4",
            "POL-5", "POL-6", "POL-7", "POL-8", "POL-9", "MIN-1", "MIN-2", "MIN-3", "MIN-4",
            "LAND-1", "LAND-2");
    assertThat(rules.clauses()).allSatisfy(clause -> assertThat(clause.source()).isNotBlank());
    assertThat(rules.clause("FISH-1").amount("catchKg")).isEqualByComparingTo("500");
    assertThat(rules.clause("FISH-1").amount("catchValueYuan")).isEqualByComparingTo("10000");
    assertThat(rules.clause("POL-7").amount("lossYuan")).isEqualByComparingTo("300000");
    assertThat(rules.clause("MIN-1").amount("mineralValueYuan")).isEqualByComparingTo("100000");
    assertThat(rules.clause("POL-3").values())
        .containsExactly("Pb", "Hg", "Cd", "Cr", "As", "Tl", "Sb");
    assertThat(rules.bannedMethods())
        .containsExactly("ELECTRIC", "POISON", "EXPLOSIVE", "PROHIBITED_NET", "PROHIBITED_TRAP");
    assertThat(rules.flag(ThresholdRules.ORGANISED).amount("organisedBoats"))
        .isEqualByComparingTo(BigDecimal.valueOf(2));
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        arguments(
            "unknown top-level field",
            shipped().replace("version: 1", "version: 1\nextra: 1"),
            "extra"),
        arguments(
            "unknown clause field",
            shipped().replace("    catchKg: 500\n", "    catchKg: 500\n    catchTonnes: 1\n"),
            "FISH-1: unknown field catchTonnes"),
        arguments(
            "unknown clause id", shipped().replace("id: MIN-3", "id: MIN-9"), "MIN-9: unknown id"),
        arguments(
            "duplicate clause id",
            shipped().replace("id: POL-6", "id: POL-5"),
            "POL-5: duplicate id"),
        arguments(
            "missing clause",
            shipped().replaceAll("(?s)  - id: POL-6\n.*?(?=  - id: POL-7)", ""),
            "POL-6: missing"),
        arguments(
            "negative amount",
            shipped().replace("hazardousWasteTonnes: 3", "hazardousWasteTonnes: -3"),
            "POL-2 hazardousWasteTonnes: amount must be positive"),
        arguments(
            "zero amount",
            shipped().replace("intakeInterruptedHours: 12", "intakeInterruptedHours: 0"),
            "POL-8 intakeInterruptedHours: amount must be positive"),
        arguments(
            "string amount",
            shipped().replace("lossYuan: 300000", "lossYuan: '300000'"),
            "POL-7 lossYuan: amount must be a number"),
        arguments(
            "missing amount",
            shipped().replace("    mineralValueYuan: 50000\n", ""),
            "MIN-2 mineralValueYuan: amount must be a number"),
        arguments(
            "wrong offence",
            shipped()
                .replace(
                    "- id: TRADE-1\n    offence: ILLEGAL_CATCH_TRADE",
                    "- id: TRADE-1\n    offence: POLLUTION"),
            "TRADE-1: offence must be ILLEGAL_CATCH_TRADE"),
        arguments(
            "unknown offence",
            shipped()
                .replace(
                    "- id: MIN-3\n    offence: ILLEGAL_MINING", "- id: MIN-3\n    offence: MINING"),
            "MIN-3: unknown offence MINING"),
        arguments(
            "missing source",
            shipped().replace("    source: 刑法第三百四十二条\n", ""),
            "LAND-1: source is missing"),
        arguments(
            "bad flag parameter",
            shipped().replace("organisedBoats: 2", "organisedBoats: -2"),
            "ORGANISED organisedBoats"),
        arguments(
            "unknown flag", shipped().replace("id: ORGANISED", "id: GANG"), "GANG: unknown id"),
        arguments(
            "empty metal list",
            shipped().replace("pollutants: [Ni, Cu, Zn, Ag, V, Mn, Co]", "pollutants: []"),
            "POL-4 pollutants"),
        arguments("missing version", shipped().replace("version: 1\n", ""), "version"),
        arguments("not a mapping", "- 1\n", "must be a mapping"),
        arguments("not YAML", "clauses: [\n", "not valid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void shouldRefuseTheFileNamingTheEntryWhenItIsBad(String name, String yaml, String message) {
    // given
    InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));

    // when / then
    assertThatThrownBy(() -> ThresholdRules.load(in, "test.yml"))
        .as(name)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.yml")
        .hasMessageContaining(message);
  }

  private static String shipped() {
    try (InputStream in =
        ThresholdRulesTest.class.getClassLoader().getResourceAsStream(ThresholdRules.SHIPPED)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
