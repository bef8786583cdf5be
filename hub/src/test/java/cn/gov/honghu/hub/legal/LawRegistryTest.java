package cn.gov.honghu.hub.legal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import cn.gov.honghu.hub.legal.LawRegistry.Law;
import cn.gov.honghu.hub.legal.LawRegistry.Revision;
import cn.gov.honghu.hub.rules.RulesFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading and validating the law registry of THRESHOLDS.md "Legal citations". */
class LawRegistryTest {

  private static final String GOOD_LAW =
      """
        - id: good
          title: 中华人民共和国好法
          source: test
          revisions:
            - { adopted: "2001-01-01", inForce: "2001-02-01" }
      """;

  @Test
  void shouldLoadExactlyTheThresholdsTableWhenTheShippedRegistryIsRead() {
    // when
    LawRegistry registry = RulesFile.shipped().laws();

    // then
    assertThat(registry.all())
        .extracting(Law::title)
        .containsExactly(
            "中华人民共和国行政处罚法",
            "行政执法机关移送涉嫌犯罪案件的规定",
            "中华人民共和国长江保护法",
            "中华人民共和国环境保护法",
            "中华人民共和国水污染防治法",
            "中华人民共和国刑事诉讼法");
    assertThat(registry.find("行政处罚法").orElseThrow().revisions())
        .containsExactly(
            revision("1996-03-17", "1996-10-01"),
            revision("2009-08-27", "2009-08-27"),
            revision("2017-09-01", "2018-01-01"),
            revision("2021-01-22", "2021-07-15"));
    assertThat(registry.find("行政执法机关移送涉嫌犯罪案件的规定").orElseThrow().revisions())
        .containsExactly(
            revision("2001-07-09", "2001-07-09"), revision("2020-08-07", "2020-08-07"));
    assertThat(registry.find("长江保护法").orElseThrow().revisions())
        .containsExactly(revision("2020-12-26", "2021-03-01"));
    assertThat(registry.find("环境保护法").orElseThrow().revisions())
        .containsExactly(
            revision("1989-12-26", "1989-12-26"), revision("2014-04-24", "2015-01-01"));
    assertThat(registry.find("水污染防治法").orElseThrow().revisions())
        .containsExactly(
            revision("2008-02-28", "2008-06-01"), revision("2017-06-27", "2018-01-01"));
    assertThat(registry.find("刑事诉讼法").orElseThrow().revisions())
        .containsExactly(
            revision("2012-03-14", "2013-01-01"), revision("2018-10-26", "2018-10-26"));
    assertThat(registry.all()).allSatisfy(law -> assertThat(law.source()).isNotBlank());
  }

  @Test
  void shouldAcceptUnquotedDatesWhenYamlReadsThemAsTimestamps() throws IOException {
    // given
    String yaml =
        """
        laws:
          - id: plain
            title: 平法
            source: test
            revisions:
              - adopted: 2017-09-01
                inForce: 2018-01-01
        """;

    // when
    LawRegistry registry = load(yaml);

    // then
    assertThat(registry.find("平法").orElseThrow().revisions())
        .containsExactly(revision("2017-09-01", "2018-01-01"));
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("not a mapping", "- 1\n", "not a YAML mapping"),
        Arguments.of("unknown top-level field", "laws: []\nextra: 1\n", "unknown field 'extra'"),
        Arguments.of("no laws", "laws: []\n", "laws must be a non-empty list"),
        Arguments.of(
            "unknown law field",
            law(
                "id: x\n    title: 某法\n    source: s\n    note: n\n    revisions: "
                    + rev("2001-01-01", "2001-01-01")),
            "laws[1] (x): unknown field 'note'"),
        Arguments.of(
            "unknown revision field",
            law(
                "id: x\n    title: 某法\n    source: s\n    revisions:\n"
                    + "      - { adopted: \"2001-01-01\", inForce: \"2001-01-01\", repealed: \"2002-01-01\" }"),
            "laws[1] (x).revisions[0]: unknown field 'repealed'"),
        Arguments.of(
            "missing id",
            law("title: 某法\n    source: s\n    revisions: " + rev("2001-01-01", "2001-01-01")),
            "laws[1]: id is required"),
        Arguments.of(
            "missing source",
            law("id: x\n    title: 某法\n    revisions: " + rev("2001-01-01", "2001-01-01")),
            "laws[1] (x): source is required"),
        Arguments.of(
            "no revisions",
            law("id: x\n    title: 某法\n    source: s\n    revisions: []"),
            "laws[1] (x): revisions must be a non-empty list"),
        Arguments.of(
            "duplicate id",
            law(
                "id: good\n    title: 某法\n    source: s\n    revisions: "
                    + rev("2001-01-01", "2001-01-01")),
            "laws[1] (good): duplicate id good, also laws[0] (good)"),
        Arguments.of(
            "duplicate title up to the country name and whitespace",
            law(
                "id: x\n    title: \" 好法 \"\n    source: s\n    revisions: "
                    + rev("2001-01-01", "2001-01-01")),
            "laws[1] (x): duplicate title 好法, also law good"),
        Arguments.of(
            "bad date",
            law(
                "id: x\n    title: 某法\n    source: s\n    revisions: "
                    + rev("2001-02-30", "2001-03-01")),
            "laws[1] (x).revisions[0]: adopted is not a date"),
        Arguments.of(
            "missing date",
            law(
                "id: x\n    title: 某法\n    source: s\n    revisions:\n      - { adopted: \"2001-01-01\" }"),
            "laws[1] (x).revisions[0]: inForce is required"),
        Arguments.of(
            "in force before adoption",
            law(
                "id: x\n    title: 某法\n    source: s\n    revisions: "
                    + rev("2001-01-02", "2001-01-01")),
            "laws[1] (x).revisions[0]: inForce 2001-01-01 is before adopted 2001-01-02"),
        Arguments.of(
            "adoptions out of order",
            law(
                "id: x\n    title: 某法\n    source: s\n    revisions:\n"
                    + "      - { adopted: \"2005-01-01\", inForce: \"2005-01-01\" }\n"
                    + "      - { adopted: \"2004-01-01\", inForce: \"2006-01-01\" }"),
            "laws[1] (x).revisions[1]: revisions must be listed oldest first"),
        Arguments.of(
            "in-force dates out of order",
            law(
                "id: x\n    title: 某法\n    source: s\n    revisions:\n"
                    + "      - { adopted: \"2005-01-01\", inForce: \"2007-01-01\" }\n"
                    + "      - { adopted: \"2006-01-01\", inForce: \"2006-06-01\" }"),
            "laws[1] (x).revisions[1]: revisions must be listed oldest first"),
        Arguments.of(
            "duplicate key",
            law(
                "id: x\n    id: y\n    title: 某法\n    source: s\n    revisions: "
                    + rev("2001-01-01", "2001-01-01")),
            "not valid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void shouldRefuseTheFileNamingTheEntryWhenItIsInvalid(String name, String yaml, String message) {
    // when / then
    assertThatIllegalArgumentException()
        .isThrownBy(() -> load(yaml))
        .withMessageStartingWith("test-laws.yml: ")
        .withMessageContaining(message);
  }

  private static String law(String body) {
    return "laws:\n" + GOOD_LAW + "  - " + body + "\n";
  }

  private static String rev(String adopted, String inForce) {
    return "\n      - { adopted: \"" + adopted + "\", inForce: \"" + inForce + "\" }";
  }

  private static LawRegistry load(String yaml) throws IOException {
    return LawRegistry.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test-laws.yml");
  }

  private static Revision revision(String adopted, String inForce) {
    return new Revision(LocalDate.parse(adopted), LocalDate.parse(inForce));
  }
}
