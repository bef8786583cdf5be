package cn.gov.honghu.hub.thresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import cn.gov.honghu.hub.thresholds.Evaluation.Reason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Every clause of THRESHOLDS.md at, just below and just above its boundary. */
class ThresholdEvaluatorTest {

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private final ThresholdEvaluator evaluator = new ThresholdEvaluator(ThresholdRules.shipped());

  private static final String FISH = "'offence':'ILLEGAL_FISHING'";
  private static final String FISH_P = FISH + ",'inBanPeriod':true";
  private static final String POL = "'offence':'POLLUTION'";
  private static final String MIN = "'offence':'ILLEGAL_MINING','withoutLicence':true";
  private static final String LAND = "'offence':'FARMLAND_OCCUPATION'";

  static Stream<Arguments> clauseTable() {
    return Stream.of(
        // FISH-1: P and (catchKg >= 500 or catchValueYuan >= 10000)
        arguments("FISH-1 at kg", FISH_P + ",'catchKg':500", List.of("FISH-1")),
        arguments("FISH-1 below kg", FISH_P + ",'catchKg':499.999", List.of()),
        arguments("FISH-1 above kg", FISH_P + ",'catchKg':500.001", List.of("FISH-1")),
        arguments("FISH-1 at value", FISH_P + ",'catchValueYuan':10000", List.of("FISH-1")),
        arguments("FISH-1 below value", FISH_P + ",'catchValueYuan':9999.99", List.of()),
        arguments("FISH-1 above value", FISH_P + ",'catchValueYuan':10000.01", List.of("FISH-1")),
        arguments("FISH-1 P absent", FISH + ",'catchKg':5000,'method':'ROD'", List.of()),
        arguments(
            "FISH-1 P from zone", FISH + ",'catchKg':500,'inBanZone':true", List.of("FISH-1")),
        arguments(
            "FISH-1 P from banned net",
            FISH + ",'catchKg':500,'method':'PROHIBITED_NET'",
            List.of("FISH-1")),
        arguments(
            "FISH-1 legal net not P", FISH + ",'catchKg':500,'method':'LEGAL_NET'", List.of()),
        arguments("FISH-1 P false", FISH + ",'catchKg':500,'inBanPeriod':false", List.of()),
        arguments("FISH-1 kg as string", FISH_P + ",'catchKg':'500'", List.of()),
        arguments("FISH-1 unknown quantity", FISH_P, List.of()),
        arguments("FISH-1 null quantity", FISH_P + ",'catchKg':null", List.of()),
        arguments("FISH-1 wrong offence", POL + ",'inBanPeriod':true,'catchKg':500", List.of()),
        // FISH-2: P and (juvenile or reserve) and (catchKg >= 50 or catchValueYuan >= 1000)
        arguments(
            "FISH-2 at kg", FISH_P + ",'juvenileOrGravid':true,'catchKg':50", List.of("FISH-2")),
        arguments(
            "FISH-2 below kg", FISH_P + ",'juvenileOrGravid':true,'catchKg':49.99", List.of()),
        arguments(
            "FISH-2 above kg",
            FISH_P + ",'juvenileOrGravid':true,'catchKg':50.01",
            List.of("FISH-2")),
        arguments(
            "FISH-2 at value",
            FISH_P + ",'inGermplasmReserve':true,'catchValueYuan':1000",
            List.of("FISH-2")),
        arguments(
            "FISH-2 below value",
            FISH_P + ",'inGermplasmReserve':true,'catchValueYuan':999.99",
            List.of()),
        arguments("FISH-2 neither juvenile nor reserve", FISH_P + ",'catchKg':60", List.of()),
        arguments(
            "FISH-2 juvenile as string",
            FISH_P + ",'juvenileOrGravid':'true','catchKg':60",
            List.of()),
        arguments("FISH-2 P absent", FISH + ",'juvenileOrGravid':true,'catchKg':60", List.of()),
        // FISH-3 / FISH-4: inBanZone / inBanPeriod with electric, poison or explosive
        arguments(
            "FISH-3 electric in zone",
            FISH + ",'inBanZone':true,'method':'ELECTRIC'",
            List.of("FISH-3")),
        arguments(
            "FISH-3 prohibited net in zone",
            FISH + ",'inBanZone':true,'method':'PROHIBITED_NET'",
            List.of()),
        arguments("FISH-4 poison in period", FISH_P + ",'method':'POISON'", List.of("FISH-4")),
        arguments(
            "FISH-3 and FISH-4 explosive",
            FISH_P + ",'inBanZone':true,'method':'EXPLOSIVE'",
            List.of("FISH-3", "FISH-4")),
        arguments(
            "FISH-3 electric outside zone and period", FISH + ",'method':'ELECTRIC'", List.of()),
        arguments("FISH-4 method as number", FISH_P + ",'method':3", List.of()),
        // TRADE-1
        arguments(
            "TRADE-1 knowingly",
            "'offence':'ILLEGAL_CATCH_TRADE','knowinglyFromIllegalCatch':true",
            List.of("TRADE-1")),
        arguments(
            "TRADE-1 not knowingly",
            "'offence':'ILLEGAL_CATCH_TRADE','knowinglyFromIllegalCatch':false",
            List.of()),
        arguments("TRADE-1 wrong offence", FISH + ",'knowinglyFromIllegalCatch':true", List.of()),
        // POL-1
        arguments(
            "POL-1 both",
            POL + ",'inDrinkingWaterZone':true,'toxicSubstance':true",
            List.of("POL-1")),
        arguments("POL-1 zone only", POL + ",'inDrinkingWaterZone':true", List.of()),
        // POL-2 hazardousWasteTonnes >= 3
        arguments("POL-2 at", POL + ",'hazardousWasteTonnes':3", List.of("POL-2")),
        arguments("POL-2 at with scale", POL + ",'hazardousWasteTonnes':3.000", List.of("POL-2")),
        arguments("POL-2 below", POL + ",'hazardousWasteTonnes':2.999", List.of()),
        arguments("POL-2 above", POL + ",'hazardousWasteTonnes':3.001", List.of("POL-2")),
        arguments("POL-2 as string", POL + ",'hazardousWasteTonnes':'3'", List.of()),
        // POL-3 / POL-4
        arguments(
            "POL-3 Cr at 3",
            POL + ",'exceedances':[{'pollutant':'Cr','multiple':3}]",
            List.of("POL-3")),
        arguments(
            "POL-3 Pb below 3",
            POL + ",'exceedances':[{'pollutant':'Pb','multiple':2.99}]",
            List.of()),
        arguments(
            "POL-3 Hg above 3",
            POL + ",'exceedances':[{'pollutant':'Hg','multiple':3.01}]",
            List.of("POL-3")),
        arguments(
            "POL-4 Ni at 3", POL + ",'exceedances':[{'pollutant':'Ni','multiple':3}]", List.of()),
        arguments(
            "POL-4 Ni below 10",
            POL + ",'exceedances':[{'pollutant':'Ni','multiple':9.99}]",
            List.of()),
        arguments(
            "POL-4 Ni at 10",
            POL + ",'exceedances':[{'pollutant':'Ni','multiple':10}]",
            List.of("POL-4")),
        arguments(
            "POL-4 Zn above 10",
            POL + ",'exceedances':[{'pollutant':'Zn','multiple':10.5}]",
            List.of("POL-4")),
        arguments(
            "POL-3 and POL-4 in one list",
            POL
                + ",'exceedances':[{'pollutant':'Ni','multiple':2},{'pollutant':'Cd','multiple':4},"
                + "{'pollutant':'Cu','multiple':12}]",
            List.of("POL-3", "POL-4")),
        arguments(
            "POL-3 unlisted pollutant",
            POL + ",'exceedances':[{'pollutant':'COD','multiple':50}]",
            List.of()),
        arguments(
            "POL-3 multiple as string",
            POL + ",'exceedances':[{'pollutant':'Cr','multiple':'5'}]",
            List.of()),
        arguments("POL-3 exceedances not a list", POL + ",'exceedances':'Cr'", List.of()),
        arguments("POL-3 odd element", POL + ",'exceedances':[1,null,'x']", List.of()),
        // POL-5 / POL-6
        arguments("POL-5 evasive", POL + ",'evasiveDischarge':true", List.of("POL-5")),
        arguments("POL-6 falsified", POL + ",'monitoringFalsified':true", List.of("POL-6")),
        // POL-7 each on its own, not summed
        arguments("POL-7 loss at", POL + ",'lossYuan':300000", List.of("POL-7")),
        arguments("POL-7 loss below", POL + ",'lossYuan':299999.99", List.of()),
        arguments("POL-7 gain above", POL + ",'illegalGainYuan':300000.01", List.of("POL-7")),
        arguments(
            "POL-7 not summed", POL + ",'lossYuan':200000,'illegalGainYuan':200000", List.of()),
        // POL-8 intakeInterruptedHours >= 12
        arguments("POL-8 at", POL + ",'intakeInterruptedHours':12", List.of("POL-8")),
        arguments("POL-8 below", POL + ",'intakeInterruptedHours':11.9", List.of()),
        arguments("POL-8 above", POL + ",'intakeInterruptedHours':13", List.of("POL-8")),
        // POL-9 priorPenaltiesWithin2Years >= 2
        arguments("POL-9 at", POL + ",'priorPenaltiesWithin2Years':2", List.of("POL-9")),
        arguments("POL-9 below", POL + ",'priorPenaltiesWithin2Years':1", List.of()),
        arguments("POL-9 above", POL + ",'priorPenaltiesWithin2Years':3", List.of("POL-9")),
        // MIN-1 mineralValueYuan >= 100000 (MIN-2 too when in a prohibited area)
        arguments("MIN-1 at", MIN + ",'mineralValueYuan':100000", List.of("MIN-1")),
        arguments("MIN-1 below", MIN + ",'mineralValueYuan':99999.99", List.of()),
        arguments("MIN-1 above", MIN + ",'mineralValueYuan':100000.01", List.of("MIN-1")),
        arguments(
            "MIN-1 licensed",
            "'offence':'ILLEGAL_MINING','withoutLicence':false,'mineralValueYuan':200000",
            List.of()),
        arguments(
            "MIN-1 licence unknown",
            "'offence':'ILLEGAL_MINING','mineralValueYuan':200000",
            List.of()),
        // MIN-2 prohibited area and mineralValueYuan >= 50000
        arguments(
            "MIN-2 at",
            MIN + ",'inProhibitedAreaOrPeriod':true,'mineralValueYuan':50000",
            List.of("MIN-2")),
        arguments(
            "MIN-2 below",
            MIN + ",'inProhibitedAreaOrPeriod':true,'mineralValueYuan':49999.99",
            List.of()),
        arguments(
            "MIN-2 above",
            MIN + ",'inProhibitedAreaOrPeriod':true,'mineralValueYuan':50000.01",
            List.of("MIN-2")),
        arguments(
            "MIN-2 and MIN-1",
            MIN + ",'inProhibitedAreaOrPeriod':true,'mineralValueYuan':100000",
            List.of("MIN-1", "MIN-2")),
        arguments("MIN-2 outside prohibited", MIN + ",'mineralValueYuan':60000", List.of()),
        // MIN-3 / MIN-4
        arguments("MIN-3 flood", MIN + ",'endangersFloodSafety':true", List.of("MIN-3")),
        arguments(
            "MIN-3 licensed",
            "'offence':'ILLEGAL_MINING','withoutLicence':false,'endangersFloodSafety':true",
            List.of()),
        arguments("MIN-4 at", MIN + ",'priorPenaltiesWithin2Years':2", List.of("MIN-4")),
        arguments("MIN-4 below", MIN + ",'priorPenaltiesWithin2Years':1", List.of()),
        arguments("MIN-4 above", MIN + ",'priorPenaltiesWithin2Years':4", List.of("MIN-4")),
        // LAND-1 basicFarmlandMu >= 5 or otherCultivatedMu >= 10
        arguments("LAND-1 basic at", LAND + ",'basicFarmlandMu':5", List.of("LAND-1")),
        arguments("LAND-1 basic below", LAND + ",'basicFarmlandMu':4.99", List.of()),
        arguments("LAND-1 basic above", LAND + ",'basicFarmlandMu':5.01", List.of("LAND-1")),
        arguments("LAND-1 other at", LAND + ",'otherCultivatedMu':10", List.of("LAND-1")),
        arguments("LAND-1 other below", LAND + ",'otherCultivatedMu':9.99", List.of()),
        arguments(
            "LAND-1 not halved for repeat",
            LAND + ",'basicFarmlandMu':3,'priorPenaltiesWithin2Years':2",
            List.of()),
        // LAND-2 publicForestMu >= 5 or commercialForestMu >= 10; halved at two prior penalties
        arguments("LAND-2 public at", LAND + ",'publicForestMu':5", List.of("LAND-2")),
        arguments("LAND-2 public below", LAND + ",'publicForestMu':4.99", List.of()),
        arguments("LAND-2 public above", LAND + ",'publicForestMu':5.01", List.of("LAND-2")),
        arguments("LAND-2 commercial at", LAND + ",'commercialForestMu':10", List.of("LAND-2")),
        arguments("LAND-2 commercial below", LAND + ",'commercialForestMu':9.99", List.of()),
        arguments(
            "LAND-2 one prior, not halved",
            LAND + ",'publicForestMu':2.5,'priorPenaltiesWithin2Years':1",
            List.of()),
        arguments(
            "LAND-2 two priors, halved public at",
            LAND + ",'publicForestMu':2.5,'priorPenaltiesWithin2Years':2",
            List.of("LAND-2")),
        arguments(
            "LAND-2 two priors, halved public below",
            LAND + ",'publicForestMu':2.49,'priorPenaltiesWithin2Years':2",
            List.of()),
        arguments(
            "LAND-2 two priors, halved commercial at",
            LAND + ",'commercialForestMu':5,'priorPenaltiesWithin2Years':2",
            List.of("LAND-2")),
        arguments(
            "LAND-2 priors as string, not halved",
            LAND + ",'publicForestMu':2.5,'priorPenaltiesWithin2Years':'2'",
            List.of()),
        // offences with no clauses, or none at all
        arguments("OTHER offence", "'offence':'OTHER','catchKg':900,'inBanZone':true", List.of()),
        arguments("offence absent", "'catchKg':900,'inBanZone':true", List.of()),
        arguments("offence as number", "'offence':7,'lossYuan':900000", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clauseTable")
  void shouldMeetExactlyTheTabledClausesWhenFactsSitAtOrAroundABoundary(
      String name, String facts, List<String> expected) {
    // given
    JsonNode node = facts(facts);

    // when
    Evaluation evaluation = evaluator.evaluate(node, Derived.NONE);

    // then
    assertThat(evaluation.clauses()).as(name).containsExactlyElementsOf(expected);
    assertThat(evaluation.flags().contains(ThresholdRules.CRIMINAL_THRESHOLD_MET))
        .as(name)
        .isEqualTo(!expected.isEmpty());
  }

  static Stream<Arguments> derivedTable() {
    return Stream.of(
        arguments(
            "derived period", FISH + ",'catchKg':500", new Derived(false, true), List.of("FISH-1")),
        arguments(
            "derived zone", FISH + ",'catchKg':500", new Derived(true, false), List.of("FISH-1")),
        arguments(
            "derived true beats sender false",
            FISH + ",'catchKg':500,'inBanPeriod':false",
            new Derived(false, true),
            List.of("FISH-1")),
        arguments(
            "sender true kept when nothing derived",
            FISH + ",'catchKg':500,'inBanZone':true",
            Derived.NONE,
            List.of("FISH-1")),
        arguments(
            "derived zone with electric",
            FISH + ",'method':'ELECTRIC'",
            new Derived(true, true),
            List.of("FISH-3", "FISH-4")),
        arguments("nothing derived", FISH + ",'catchKg':500", Derived.NONE, List.of()),
        arguments("null derived", FISH + ",'catchKg':500", null, List.of()),
        arguments(
            "derived facts on another offence",
            POL + ",'catchKg':500,'method':'ELECTRIC'",
            new Derived(true, true),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("derivedTable")
  void shouldOrDerivedBanFactsIntoTheSendersWhenEvaluatingFishing(
      String name, String facts, Derived derived, List<String> expected) {
    // given
    JsonNode node = facts(facts);

    // when
    Evaluation evaluation = evaluator.evaluate(node, derived);

    // then
    assertThat(evaluation.clauses()).as(name).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> flagTable() {
    return Stream.of(
        arguments("no prior", FISH + ",'priorPenaltiesWithin2Years':0", List.of()),
        arguments(
            "one prior", FISH + ",'priorPenaltiesWithin2Years':1", List.of("REPEAT_WITHIN_2Y")),
        arguments("prior as string", FISH + ",'priorPenaltiesWithin2Years':'1'", List.of()),
        arguments("prior on pollution", POL + ",'priorPenaltiesWithin2Years':1", List.of()),
        arguments("one boat", FISH + ",'organisedBoats':1", List.of()),
        arguments("two boats", FISH + ",'organisedBoats':2", List.of("ORGANISED")),
        arguments("three boats", FISH + ",'organisedBoats':3", List.of("ORGANISED")),
        arguments(
            "both and a clause",
            FISH_P + ",'catchKg':600,'organisedBoats':2,'priorPenaltiesWithin2Years':1",
            List.of("CRIMINAL_THRESHOLD_MET", "REPEAT_WITHIN_2Y", "ORGANISED")),
        arguments(
            "flags without P raise no threshold",
            FISH + ",'catchKg':600,'organisedBoats':2",
            List.of("ORGANISED")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flagTable")
  void shouldRaiseTabledFlagsWhenAggravatingFactsReachTheirParameters(
      String name, String facts, List<String> expected) {
    // given
    JsonNode node = facts(facts);

    // when
    Evaluation evaluation = evaluator.evaluate(node, Derived.NONE);

    // then
    assertThat(evaluation.flags()).as(name).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> oddFacts() {
    return Stream.of(arguments("null"), arguments("[]"), arguments("\"x\""), arguments("{}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oddFacts")
  void shouldMeetNothingWhenFactsAreNotAnObject(String json) {
    // given
    JsonNode node = MAPPER.readTree(json);

    // when
    Evaluation evaluation = evaluator.evaluate(node, new Derived(true, true));

    // then
    assertThat(evaluation.clauses()).isEmpty();
    assertThat(evaluation.flags()).isEmpty();
  }

  @Test
  void shouldGiveTheIdAndSourceOfEachMetClauseAndFlagWhenAReviewerAsksWhy() {
    // given
    JsonNode node = facts(FISH_P + ",'method':'POISON','catchKg':600,'organisedBoats':2");
    ThresholdRules rules = ThresholdRules.shipped();

    // when
    Evaluation evaluation = evaluator.evaluate(node, Derived.NONE);

    // then
    assertThat(evaluation.reasons())
        .containsExactly(
            new Reason("FISH-1", rules.clause("FISH-1").source()),
            new Reason("FISH-4", rules.clause("FISH-4").source()),
            new Reason("ORGANISED", rules.flag("ORGANISED").source()));
  }

  @Test
  void shouldMeetNothingWhenAQuantityIsNotFinite() {
    // given: a lenient parser may let NaN or infinity through
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("offence", "POLLUTION");
    node.put("lossYuan", Double.NaN);
    node.put("hazardousWasteTonnes", Double.POSITIVE_INFINITY);

    // when
    Evaluation evaluation = evaluator.evaluate(node, Derived.NONE);

    // then
    assertThat(evaluation.clauses()).isEmpty();
  }

  private static JsonNode facts(String body) {
    return MAPPER.readTree(("{" + body + "}").replace('\'', '"'));
  }
}
