package cn.gov.honghu.hub.thresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import cn.gov.honghu.hub.rules.RulesFile;
import cn.gov.honghu.hub.yaml.RulesYaml;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ThresholdRulesTest {

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private static final String FISH = "'offence':'ILLEGAL_FISHING'";
  private static final String FISH_P = FISH + ",'inBanPeriod':true";
  private static final String POL = "'offence':'POLLUTION'";
  private static final String MIN = "'offence':'ILLEGAL_MINING','withoutLicence':true";

  /** A small valid file that each bad-file case breaks in one place. */
  private static final String BASE =
      """
      version: 1
      bannedMethods: [ELECTRIC]
      conditions:
        precondition: { fact: inBanZone, isTrue: true }
      clauses:
        - id: FISH-1
          offence: ILLEGAL_FISHING
          source: fishing source
          allOf:
            - ref: precondition
            - { fact: catchKg, atLeast: 500 }
        - id: POL-1
          offence: POLLUTION
          source: pollution source
          anyOf:
            - { fact: lossYuan, atLeast: 300000 }
      flags:
        - id: ORGANISED
          offence: ILLEGAL_FISHING
          source: flag source
          allOf: [ { fact: organisedBoats, atLeast: 2 } ]
      """;

  @Test
  void shouldLoadEveryClauseAndFlagInFileOrderWhenTheShippedFileIsRead() {
    // given / when
    ThresholdRules rules = ThresholdRules.shipped();

    // then
    assertThat(rules.version()).isEqualTo(RulesFile.shipped().version());
    assertThat(rules.clauses())
        .extracting(ThresholdRules.Rule::id)
        .containsExactly(
            "FISH-1", "FISH-2", "FISH-3", "FISH-4", "TRADE-1", "POL-1", "POL-2", "POL-3", "POL-4",
            "POL-5", "POL-6", "POL-7", "POL-8", "POL-9", "MIN-1", "MIN-2", "MIN-3", "MIN-4",
            "LAND-1", "LAND-2");
    assertThat(rules.flags())
        .extracting(ThresholdRules.Rule::id)
        .containsExactly("REPEAT_WITHIN_2Y", "ORGANISED");
    assertThat(rules.clauses()).allSatisfy(clause -> assertThat(clause.source()).isNotBlank());
    assertThat(rules.flags()).allSatisfy(flag -> assertThat(flag.source()).isNotBlank());
    assertThat(rules.clause("POL-3").source()).isEqualTo("刑法第三百三十八条；法释〔2023〕7号 第一条第三项");
  }

  @Test
  void shouldDescribeTheActiveRulesAsPlainMapsWhenAnAdminAsksForThem() {
    // given
    ThresholdRules rules = ThresholdRules.shipped();

    // when
    Map<String, Object> described = rules.describe();

    // then
    List<?> clauses = (List<?>) described.get("clauses");
    assertThat(clauses).hasSize(20);
    assertThat(clauses.get(0))
        .isEqualTo(
            Map.of(
                "id", "FISH-1",
                "offence", "ILLEGAL_FISHING",
                "source", "刑法第三百四十条；法释〔2022〕12号 第三条第一项",
                "condition",
                    Map.of(
                        "allOf",
                        List.of(
                            Map.of("ref", "fishing-precondition"),
                            Map.of(
                                "anyOf",
                                List.of(
                                    Map.of("fact", "catchKg", "atLeast", new BigDecimal("500")),
                                    Map.of(
                                        "fact",
                                        "catchValueYuan",
                                        "atLeast",
                                        new BigDecimal("10000"))))))));
    Map<?, ?> land2 = (Map<?, ?>) clauses.get(19);
    assertThat(((Map<?, ?>) land2.get("scaleAmounts")).get("by")).isEqualTo(new BigDecimal("0.5"));
    assertThat(new ArrayList<Object>(((Map<?, ?>) described.get("conditions")).keySet()))
        .containsExactly("fishing-precondition", "electric-poison-explosive", "without-licence");
    assertThat((List<?>) described.get("flags")).hasSize(2);
    String json = MAPPER.writeValueAsString(described);
    assertThat(json)
        .contains("\"some\":\"exceedances\"")
        .contains("\"in\":[\"ELECTRIC\",\"POISON\",\"EXPLOSIVE\",\"PROHIBITED_NET\"");
  }

  @Test
  void shouldMeetANewClauseWhenItIsAddedInTheFileOnly() {
    // given: a province's own fishing clause, with lower amounts, in YAML only
    String yaml =
        replaced(
            shipped(),
            "\n# Aggravating flags",
            """
              - id: FISH-5
                offence: ILLEGAL_FISHING
                source: 某省实施细则 第五条 (provincial amount)
                allOf:
                  - ref: fishing-precondition
                  - { fact: catchKg, atLeast: 200.5 }

            # Aggravating flags""");
    ThresholdEvaluator evaluator = new ThresholdEvaluator(fromRulesFile(yaml));

    // when
    Evaluation at = evaluator.evaluate(facts(FISH_P + ",'catchKg':200.5"), Derived.NONE);
    Evaluation below = evaluator.evaluate(facts(FISH_P + ",'catchKg':200.49"), Derived.NONE);
    Evaluation both = evaluator.evaluate(facts(FISH_P + ",'catchKg':500"), Derived.NONE);
    Evaluation withoutP = evaluator.evaluate(facts(FISH + ",'catchKg':300"), Derived.NONE);

    // then
    assertThat(at.clauses()).containsExactly("FISH-5");
    assertThat(at.reasons())
        .containsExactly(new Evaluation.Reason("FISH-5", "某省实施细则 第五条 (provincial amount)"));
    assertThat(below.clauses()).isEmpty();
    assertThat(both.clauses()).containsExactly("FISH-1", "FISH-5");
    assertThat(withoutP.clauses()).isEmpty();
  }

  @Test
  void shouldUseAProvincesAmountWhenOnlyTheFileChangesIt() {
    // given: a province setting MIN-1 at 300,000 yuan
    String yaml =
        replaced(
            shipped(),
            "{ fact: mineralValueYuan, atLeast: 100000 }",
            "{ fact: mineralValueYuan, atLeast: 300000 }");
    ThresholdEvaluator evaluator = new ThresholdEvaluator(fromRulesFile(yaml));

    // when
    Evaluation below = evaluator.evaluate(facts(MIN + ",'mineralValueYuan':299999.99"), null);
    Evaluation at = evaluator.evaluate(facts(MIN + ",'mineralValueYuan':300000"), null);

    // then
    assertThat(below.clauses()).isEmpty();
    assertThat(at.clauses()).containsExactly("MIN-1");
  }

  @Test
  void shouldCompareTheWrittenDigitsWhenAnAmountHasMoreThanADoubleHolds() {
    // given: 17 significant digits, which a double would round to ...568
    ThresholdEvaluator evaluator =
        new ThresholdEvaluator(
            load(replaced(BASE, "atLeast: 300000", "atLeast: 12345678901234567.89")));

    // when
    Evaluation at =
        evaluator.evaluate(facts(POL + ",'lossYuan':12345678901234567.89"), Derived.NONE);
    Evaluation below =
        evaluator.evaluate(facts(POL + ",'lossYuan':12345678901234567.88"), Derived.NONE);

    // then
    assertThat(at.clauses()).containsExactly("POL-1");
    assertThat(below.clauses()).isEmpty();
  }

  @Test
  void shouldIgnoreOtherSectionsWhenTheThresholdsSitInALargerRulesFile() {
    // given: the shipped file also holds routes, laws and deadlines
    JsonNode top = RulesYaml.MAPPER.readTree(shipped());

    // when
    ThresholdRules rules = ThresholdRules.fromSections(top, "hub-rules.yml");

    // then
    assertThat(rules.clauses()).hasSize(20);
    assertThat(rules.flags()).hasSize(2);
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        arguments(
            "unknown top-level field", BASE + "routes: []\n", "test.yml: unknown field 'routes'"),
        arguments(
            "unknown clause field",
            replaced(BASE, "  - id: POL-1\n", "  - id: POL-1\n    severity: high\n"),
            "test.yml: clauses[1] (POL-1): unknown field 'severity'"),
        arguments(
            "unknown condition field",
            replaced(BASE, "atLeast: 300000", "atleast: 300000"),
            "test.yml: clauses[1] (POL-1) anyOf[0]: unknown field 'atleast'"),
        arguments(
            "duplicate clause id",
            replaced(BASE, "id: POL-1", "id: FISH-1"),
            "test.yml: clauses[1] (FISH-1): duplicate id 'FISH-1'"),
        arguments(
            "duplicate flag id",
            BASE
                + "  - id: ORGANISED\n    offence: ILLEGAL_FISHING\n    source: again\n"
                + "    allOf: [ { fact: organisedBoats, atLeast: 3 } ]\n",
            "test.yml: flags[1] (ORGANISED): duplicate id 'ORGANISED'"),
        arguments(
            "missing id",
            replaced(BASE, "- id: POL-1\n    offence", "- offence"),
            "test.yml: clauses[1]: id is missing"),
        arguments(
            "missing offence",
            replaced(BASE, "    offence: POLLUTION\n", ""),
            "test.yml: clauses[1] (POL-1): offence is missing"),
        arguments(
            "unknown offence",
            replaced(BASE, "offence: POLLUTION", "offence: MINING"),
            "test.yml: clauses[1] (POL-1): unknown offence 'MINING'"),
        arguments(
            "missing source",
            replaced(BASE, "    source: pollution source\n", ""),
            "test.yml: clauses[1] (POL-1): source is missing"),
        arguments(
            "missing condition",
            replaced(BASE, "    anyOf:\n      - { fact: lossYuan, atLeast: 300000 }\n", ""),
            "test.yml: clauses[1] (POL-1): condition is missing"),
        arguments(
            "clause id not like POL-3",
            replaced(BASE, "id: POL-1", "id: Pol-1"),
            "test.yml: clauses[1] (Pol-1): id 'Pol-1' must match"),
        arguments(
            "flag id not like ORGANISED",
            replaced(BASE, "id: ORGANISED", "id: ORGANISED-1"),
            "test.yml: flags[0] (ORGANISED-1): id 'ORGANISED-1' must match"),
        arguments(
            "flag id reserved for the hub",
            replaced(BASE, "id: ORGANISED", "id: CRIMINAL_THRESHOLD_MET"),
            "test.yml: flags[0] (CRIMINAL_THRESHOLD_MET): id 'CRIMINAL_THRESHOLD_MET' is reserved"),
        arguments(
            "amount as text",
            replaced(BASE, "atLeast: 300000", "atLeast: '300000'"),
            "test.yml: clauses[1] (POL-1) anyOf[0]: 'atLeast' must be a number, got '300000'"),
        arguments(
            "zero amount",
            replaced(BASE, "atLeast: 300000", "atLeast: 0"),
            "test.yml: clauses[1] (POL-1) anyOf[0]: 'atLeast' must be positive, got 0"),
        arguments(
            "negative amount",
            replaced(BASE, "atLeast: 300000", "atLeast: -0.5"),
            "test.yml: clauses[1] (POL-1) anyOf[0]: 'atLeast' must be positive, got -0.5"),
        arguments(
            "infinite amount",
            replaced(BASE, "atLeast: 300000", "atLeast: .inf"),
            "test.yml: not valid YAML at line 16: Malformed numeric value '.inf"),
        arguments(
            "unknown ref",
            replaced(BASE, "ref: precondition", "ref: precondtion"),
            "test.yml: clauses[0] (FISH-1) allOf[0]: unknown condition 'precondtion'"),
        arguments(
            "ref to a condition defined below",
            replaced(
                BASE,
                "conditions:\n",
                "conditions:\n  early: { ref: late }\n  late: { fact: x, isTrue: true }\n"),
            "test.yml: conditions.early: unknown condition 'late'"),
        arguments(
            "condition referring to itself",
            replaced(BASE, "conditions:\n", "conditions:\n  loop: { ref: loop }\n"),
            "test.yml: conditions.loop: unknown condition 'loop'"),
        arguments(
            "two operators",
            replaced(
                BASE,
                "{ fact: catchKg, atLeast: 500 }",
                "{ fact: catchKg, atLeast: 500, in: [a] }"),
            "test.yml: clauses[0] (FISH-1) allOf[1]: fact 'catchKg' needs exactly one operator"),
        arguments(
            "no operator",
            replaced(BASE, "{ fact: catchKg, atLeast: 500 }", "{ fact: catchKg }"),
            "test.yml: clauses[0] (FISH-1) allOf[1]: fact 'catchKg' needs exactly one operator"),
        arguments(
            "in not a list",
            replaced(BASE, "{ fact: inBanZone, isTrue: true }", "{ fact: method, in: ELECTRIC }"),
            "test.yml: conditions.precondition: 'in' must be a non-empty list, got 'ELECTRIC'"),
        arguments(
            "in an unknown list",
            replaced(
                BASE, "{ fact: inBanZone, isTrue: true }", "{ fact: method, in: $bannedGear }"),
            "test.yml: conditions.precondition: unknown list '$bannedGear'"),
        arguments(
            "isTrue not true",
            replaced(BASE, "isTrue: true", "isTrue: 'yes'"),
            "test.yml: conditions.precondition: 'isTrue' must be true, got 'yes'"),
        arguments(
            "two conditions in one mapping",
            replaced(BASE, "    anyOf:\n", "    allOf: [ { ref: precondition } ]\n    anyOf:\n"),
            "test.yml: clauses[1] (POL-1): one condition per mapping, found [allOf, anyOf]"),
        arguments(
            "operator without a fact",
            replaced(BASE, "{ fact: catchKg, atLeast: 500 }", "{ atLeast: 500 }"),
            "test.yml: clauses[0] (FISH-1) allOf[1]: no condition"),
        arguments(
            "where beside a fact",
            replaced(BASE, "isTrue: true }", "isTrue: true, where: [] }"),
            "test.yml: conditions.precondition: 'where' does not go with 'fact'"),
        arguments(
            "empty anyOf",
            replaced(BASE, "anyOf:\n      - { fact: lossYuan, atLeast: 300000 }", "anyOf: []"),
            "test.yml: clauses[1] (POL-1): 'anyOf' must be a non-empty list of conditions"),
        arguments(
            "condition not a mapping",
            replaced(BASE, "- ref: precondition", "- precondition"),
            "test.yml: clauses[0] (FISH-1) allOf[0]: must be a mapping, got 'precondition'"),
        arguments(
            "some without where",
            replaced(BASE, "{ fact: lossYuan, atLeast: 300000 }", "{ some: exceedances }"),
            "test.yml: clauses[1] (POL-1) anyOf[0]: 'where' must be a non-empty list"),
        arguments(
            "unknown field inside where",
            replaced(
                BASE,
                "{ fact: lossYuan, atLeast: 300000 }",
                "{ some: exceedances, where: [ { fact: multiple, atleast: 3 } ] }"),
            "test.yml: clauses[1] (POL-1) anyOf[0].where[0]: unknown field 'atleast'"),
        arguments(
            "scale by zero",
            replaced(
                BASE,
                "  - id: POL-1\n",
                "  - id: POL-1\n    scaleAmounts: { by: 0, when: { ref: precondition } }\n"),
            "test.yml: clauses[1] (POL-1) scaleAmounts: 'by' must be positive"),
        arguments(
            "scale with an unknown field",
            replaced(
                BASE,
                "  - id: POL-1\n",
                "  - id: POL-1\n    scaleAmounts: { by: 0.5, if: { ref: precondition } }\n"),
            "test.yml: clauses[1] (POL-1) scaleAmounts: unknown field 'if'"),
        arguments(
            "scale without when",
            replaced(BASE, "  - id: POL-1\n", "  - id: POL-1\n    scaleAmounts: { by: 0.5 }\n"),
            "test.yml: clauses[1] (POL-1) scaleAmounts.when: is missing"),
        arguments(
            "repeated key",
            replaced(
                BASE,
                "{ fact: catchKg, atLeast: 500 }",
                "{ fact: catchKg, atLeast: 500, atLeast: 400 }"),
            "test.yml: not valid YAML"),
        arguments(
            "empty banned methods",
            replaced(BASE, "bannedMethods: [ELECTRIC]", "bannedMethods: []"),
            "test.yml: bannedMethods must be a non-empty list"),
        arguments(
            "misspelt section",
            replaced(BASE, "clauses:", "clause:"),
            "test.yml: unknown field 'clause'"),
        arguments(
            "missing version", replaced(BASE, "version: 1\n", ""), "test.yml: version is missing"),
        arguments("not a mapping", "- 1\n", "test.yml: must be a mapping"),
        arguments("not YAML", "clauses: [\n", "test.yml: not valid YAML"));
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
        .hasMessageContaining(message);
  }

  @Test
  void shouldRefuseMissingClausesWhenTheSectionsAreReadFromALargerFile() {
    // given
    JsonNode top = RulesYaml.MAPPER.readTree("version: 1\nbannedMethods: [ELECTRIC]\nroutes: []\n");

    // when / then
    assertThatThrownBy(() -> ThresholdRules.fromSections(top, "hub-rules.yml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hub-rules.yml: clauses must be a list");
  }

  @Test
  void shouldLoadTheBaseFileWhenNothingIsBroken() {
    // given / when
    ThresholdRules rules = load(BASE);

    // then: the bad-file cases fail for their own reason only
    assertThat(rules.clauses())
        .extracting(ThresholdRules.Rule::id)
        .containsExactly("FISH-1", "POL-1");
  }

  private static JsonNode facts(String body) {
    return MAPPER.readTree(("{" + body + "}").replace('\'', '"'));
  }

  /** The threshold sections of a whole rules file (the shipped one, edited). */
  private static ThresholdRules fromRulesFile(String yaml) {
    return ThresholdRules.fromSections(RulesYaml.MAPPER.readTree(yaml), "test.yml");
  }

  private static ThresholdRules load(String yaml) {
    return ThresholdRules.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml");
  }

  /** The text with one part replaced; a part that is not there fails the test, not the case. */
  private static String replaced(String text, String part, String replacement) {
    if (!text.contains(part)) {
      throw new IllegalStateException("not in the file: " + part);
    }
    return text.replace(part, replacement);
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
