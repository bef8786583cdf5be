package cn.gov.honghu.hub.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import cn.gov.honghu.hub.support.ShippedRules;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one rules file: the shipped file loads with every section, and a file broken in any section
 * is refused with a message that names the entry (the hub then does not start). References across
 * sections (conditions naming clauses, raised types) are checked where routing is wired: {@code
 * HubConfigurationCheckTest} starts the hub with such files.
 */
class RulesFileTest {

  @Test
  void shouldLoadEverySectionWhenTheShippedFileIsRead() {
    // when
    RulesFile rules = RulesFile.shipped();

    // then
    assertThat(rules.version()).isNotBlank();
    assertThat(rules.routing().all()).hasSize(18);
    assertThat(rules.routing().penaltyCopyWithinDays()).isEqualTo(10);
    assertThat(rules.thresholds().clauses()).hasSize(20);
    assertThat(rules.laws().all()).hasSize(6);
    assertThat(rules.deadlines().all())
        .extracting(d -> d.id())
        .containsExactly("D1", "D2", "D3", "D4", "D5", "D6", "D7");
    assertThat(rules.deadlines().find("D2").orElseThrow().window()).isTrue();
    assertThat(rules.document()).containsKeys("routes", "clauses", "laws", "deadlines");
  }

  static Stream<Arguments> brokenFiles() {
    return Stream.of(
        arguments("unknown top-level key", "\ncommon:", "\ncolour: red\ncommon:", "'colour'"),
        arguments(
            "unknown route field",
            "    type: CASE_TRANSFER\n",
            "    type: CASE_TRANSFER\n    colour: red\n",
            "routes[0] (T1): unknown field 'colour'"),
        arguments("duplicate route id", "  - id: T15\n", "  - id: T14\n", "duplicate id"),
        arguments(
            "negative amount",
            "{ fact: catchKg, atLeast: 500 }",
            "{ fact: catchKg, atLeast: -500 }",
            "FISH-1"),
        arguments(
            "non-numeric amount",
            "{ fact: catchKg, atLeast: 500 }",
            "{ fact: catchKg, atLeast: lots }",
            "FISH-1"),
        arguments(
            "unknown field in a clause condition",
            "{ fact: catchKg, atLeast: 500 }",
            "{ fact: catchKg, atleast: 500 }",
            "FISH-1"),
        arguments("duplicate clause id", "  - id: FISH-2\n", "  - id: FISH-1\n", "FISH-1"),
        arguments(
            "unknown law field",
            "  - id: decree-310\n",
            "  - id: decree-310\n    colour: red\n",
            "laws[1] (decree-310)"),
        arguments(
            "deadline closed by an unknown type",
            "    closes: EVIDENCE_HANDOVER\n",
            "    closes: EVIDENCE_HANDOFF\n",
            "deadlines[6] (D7).closes: unknown message type EVIDENCE_HANDOFF"),
        arguments(
            "copy-window that is not a number",
            "penaltyCopyWithinDays: 10",
            "penaltyCopyWithinDays: ten",
            "penaltyCopyWithinDays"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void shouldRefuseTheFileNamingTheEntryWhenASectionIsBroken(
      String problem, String part, String replacement, String named) {
    // given
    String text = ShippedRules.text();
    assertThat(text).as("the shipped file contains the part to break").contains(part);
    String broken = text.replaceFirst(java.util.regex.Pattern.quote(part), replacement);

    // when / then
    assertThatThrownBy(() -> load(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken.yml")
        .hasMessageContaining(named);
  }

  private static RulesFile load(String text) throws IOException {
    return RulesFile.load(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "broken.yml");
  }
}
