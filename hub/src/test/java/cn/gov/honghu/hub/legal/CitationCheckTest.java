package cn.gov.honghu.hub.legal;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.legal.CitationCheck.Outcome;
import cn.gov.honghu.hub.legal.CitationCheck.Reason;
import cn.gov.honghu.hub.legal.CitationCheck.Result;
import cn.gov.honghu.hub.legal.CitationCheck.Status;
import cn.gov.honghu.hub.legal.LawRegistry.Revision;
import cn.gov.honghu.hub.rules.RulesFile;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The citation check of THRESHOLDS.md "Legal citations" against the shipped registry. */
class CitationCheckTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PENALTY_LAW = "中华人民共和国行政处罚法";

  private final CitationCheck check = new CitationCheck(RulesFile.shipped().laws());

  @ParameterizedTest(name = "cite {0} for an act on {1}: {2}, in force {3}")
  @CsvSource({
    // the 2017 revision cited by adoption date; the 2021 one adopted 2021-01-22, in force
    // 2021-07-15
    "2017-09-01, 2021-07-14, CURRENT,  2018-01-01",
    "2017-09-01, 2021-07-15, OUTDATED, 2021-07-15",
    "2017-09-01, 2021-01-22, CURRENT,  2018-01-01",
    // the in-force date of the 2017 revision names the 2017 revision too
    "2018-01-01, 2021-07-14, CURRENT,  2018-01-01",
    "2018-01-01, 2021-07-15, OUTDATED, 2021-07-15",
    // a day before the 2017 adoption names the 2009 revision, outdated once 2018-01-01 arrives
    "2017-08-31, 2017-12-31, CURRENT,  2009-08-27",
    "2017-08-31, 2018-01-01, OUTDATED, 2018-01-01",
    // citing the 2021 revision: current before and after it took effect
    "2021-01-22, 2021-07-14, CURRENT,  2018-01-01",
    "2021-01-22, 2021-07-15, CURRENT,  2021-07-15",
    "2021-01-21, 2021-07-15, OUTDATED, 2021-07-15",
    // the first revision; before it took effect nothing is in force, so nothing is later
    "1996-03-17, 1996-09-30, CURRENT,  ",
    "1996-03-17, 2009-08-27, OUTDATED, 2009-08-27",
    "1996-03-17, 2009-08-26, CURRENT,  1996-10-01"
  })
  void shouldJudgeAPenaltyLawCitationByTheRevisionInForceOnTheActDateWhenChecked(
      String version, String actDate, Status expected, String inForceFrom) {
    // given
    ArrayNode legalBasis = basis(citation(PENALTY_LAW, "57", version));

    // when
    Result result = check.check(legalBasis, LocalDate.parse(actDate));

    // then
    Outcome outcome = result.outcomes().get(0);
    assertThat(outcome.status()).isEqualTo(expected);
    assertThat(outcome.lawId()).isEqualTo("administrative-penalty-law");
    assertThat(outcome.inForce() == null ? null : outcome.inForce().inForce())
        .isEqualTo(inForceFrom == null ? null : LocalDate.parse(inForceFrom));
    if (expected == Status.OUTDATED) {
      assertThat(result.flags()).containsExactly(CitationCheck.OUTDATED);
    } else {
      assertThat(result.flags()).isEmpty();
    }
  }

  @Test
  void shouldMapAnInForceDateToTheRevisionThatTookEffectThenWhenCited() {
    // given
    ArrayNode legalBasis = basis(citation(PENALTY_LAW, "57", "2018-01-01"));

    // when
    Outcome outcome = check.check(legalBasis, LocalDate.parse("2019-06-01")).outcomes().get(0);

    // then
    assertThat(outcome.cited())
        .isEqualTo(new Revision(LocalDate.parse("2017-09-01"), LocalDate.parse("2018-01-01")));
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "中华人民共和国行政处罚法",
        "行政处罚法",
        "  行政处罚法  ",
        " 中华人民共和国行政处罚法\t",
        "中华人民共和国 行政处罚法",
      },
      ignoreLeadingAndTrailingWhitespace = false)
  void shouldFindTheLawWhenTitleDiffersByWhitespaceOrTheLeadingCountryName(String title) {
    // given
    ArrayNode legalBasis = basis(citation(title, "57", "2017-09-01"));

    // when
    Result result = check.check(legalBasis, LocalDate.parse("2021-07-15"));

    // then
    assertThat(result.outcomes().get(0).lawId()).isEqualTo("administrative-penalty-law");
    assertThat(result.outcomes().get(0).status()).isEqualTo(Status.OUTDATED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"行政处罚, 2017-09-01", "中华人民共和国渔业法, 2013-12-28", "中华人民共和国行政处罚法实施细则, 2017-09-01"})
  void shouldFlagUncheckedNotOutdatedWhenTheLawIsUnknown(String title, String version) {
    // given
    ArrayNode legalBasis = basis(citation(title, "1", version));

    // when
    Result result = check.check(legalBasis, LocalDate.parse("2026-05-03"));

    // then
    assertThat(result.outcomes().get(0).status()).isEqualTo(Status.UNCHECKED);
    assertThat(result.outcomes().get(0).reason()).isEqualTo(Reason.UNKNOWN_LAW);
    assertThat(result.flags()).containsExactly(CitationCheck.UNCHECKED);
  }

  @ParameterizedTest(name = "version [{0}]")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "NULL, MISSING_VERSION",
        "'', MISSING_VERSION",
        "2017, MALFORMED_VERSION",
        "2017-9-1, MALFORMED_VERSION",
        "2017-02-30, MALFORMED_VERSION",
        "2017-09-01T00:00:00+08:00, MALFORMED_VERSION",
        "1996-03-16, VERSION_BEFORE_FIRST_REVISION"
      })
  void shouldFlagUncheckedWithoutThrowingWhenTheVersionCannotNameARevision(
      String version, Reason reason) {
    // given
    ArrayNode legalBasis = basis(citation(PENALTY_LAW, "57", version));

    // when
    Result result = check.check(legalBasis, LocalDate.parse("2026-05-03"));

    // then
    assertThat(result.outcomes().get(0).status()).isEqualTo(Status.UNCHECKED);
    assertThat(result.outcomes().get(0).reason()).isEqualTo(reason);
    assertThat(result.flags()).containsExactly(CitationCheck.UNCHECKED);
  }

  @Test
  void shouldFlagUncheckedWhenTheVersionIsNotAString() {
    // given
    ObjectNode citation = JSON.createObjectNode().put("law", PENALTY_LAW).put("version", 20170901);

    // when
    Result result = check.check(basis(citation), LocalDate.parse("2026-05-03"));

    // then
    assertThat(result.outcomes().get(0).reason()).isEqualTo(Reason.MALFORMED_VERSION);
  }

  @Test
  void shouldFlagUncheckedWhenACitationHasNoLaw() {
    // given
    ArrayNode legalBasis = basis(JSON.createObjectNode().put("article", "3"));
    legalBasis.add("行政处罚法");

    // when
    Result result = check.check(legalBasis, LocalDate.parse("2026-05-03"));

    // then
    assertThat(result.outcomes())
        .extracting(Outcome::reason)
        .containsExactly(Reason.MALFORMED_CITATION, Reason.MALFORMED_CITATION);
    assertThat(result.flags()).containsExactly(CitationCheck.UNCHECKED);
  }

  @Test
  void shouldRaiseNoFlagWhenThereIsNoLegalBasis() {
    // given
    LocalDate actDate = LocalDate.parse("2026-05-03");

    // when
    Result missing = check.check(null, actDate);
    Result empty = check.check(JSON.createArrayNode(), actDate);

    // then
    assertThat(missing.outcomes()).isEmpty();
    assertThat(missing.flags()).isEmpty();
    assertThat(empty.flags()).isEmpty();
  }

  @Test
  void shouldRaiseBothFlagsAndNameTheOutdatedCitationWhenCitationsAreMixed() {
    // given
    ArrayNode legalBasis =
        basis(
            citation("中华人民共和国环境保护法", "59", "1989-12-26"),
            citation("中华人民共和国渔业法", "30", "2013-12-28"),
            citation("中华人民共和国长江保护法", "86", "2020-12-26"));

    // when
    Result result = check.check(legalBasis, LocalDate.parse("2026-05-03"));

    // then
    assertThat(result.outcomes())
        .extracting(Outcome::status)
        .containsExactly(Status.OUTDATED, Status.UNCHECKED, Status.CURRENT);
    assertThat(result.flags()).containsExactly(CitationCheck.OUTDATED, CitationCheck.UNCHECKED);
    assertThat(result.outdated())
        .containsExactly(
            new CitationCheck.Outdated(
                "中华人民共和国环境保护法",
                "59",
                "1989-12-26",
                new Revision(LocalDate.parse("2014-04-24"), LocalDate.parse("2015-01-01"))));
  }

  @Test
  void shouldFlagOnlyTheFisheryLawAsUncheckedWhenCheckingTheSharedCaseTransferExample()
      throws Exception {
    // given
    JsonNode message;
    try (InputStream in = resource("samples/case-transfer.json")) {
      message = JSON.readTree(in);
    }
    LocalDate actDate =
        OffsetDateTime.parse(message.at("/payload/facts/occurredAt").stringValue())
            .atZoneSameInstant(ZoneId.of("Asia/Shanghai"))
            .toLocalDate();

    // when
    Result result = check.check(message.at("/payload/legalBasis"), actDate);

    // then
    assertThat(result.outcomes())
        .extracting(Outcome::status, Outcome::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Status.UNCHECKED, Reason.UNKNOWN_LAW),
            org.assertj.core.groups.Tuple.tuple(Status.CURRENT, Reason.NONE));
    assertThat(result.outcomes().get(1).lawId()).isEqualTo("decree-310");
    assertThat(result.flags()).containsExactly(CitationCheck.UNCHECKED);
    assertThat(result.outdated()).isEmpty();
  }

  @Test
  void shouldFindDecree310OutdatedWhenItsFirstVersionIsCitedAfterTheRevision() {
    // given
    ArrayNode legalBasis = basis(citation("行政执法机关移送涉嫌犯罪案件的规定", "3", "2001-07-09"));

    // when
    Result before = check.check(legalBasis, LocalDate.parse("2020-08-06"));
    Result after = check.check(legalBasis, LocalDate.parse("2020-08-07"));

    // then
    assertThat(before.flags()).isEmpty();
    assertThat(after.flags()).containsExactly(CitationCheck.OUTDATED);
  }

  private static InputStream resource(String name) {
    return CitationCheckTest.class.getClassLoader().getResourceAsStream(name);
  }

  private static ObjectNode citation(String law, String article, String version) {
    ObjectNode node = JSON.createObjectNode().put("law", law).put("article", article);
    if (version != null) {
      node.put("version", version);
    }
    return node;
  }

  private static ArrayNode basis(ObjectNode... citations) {
    ArrayNode array = JSON.createArrayNode();
    for (ObjectNode c : citations) {
      array.add(c);
    }
    return array;
  }
}
