package cn.gov.honghu.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The canonical form behind content deduplication (HUB-SPEC section 6). */
class CanonicalJsonTest {

  /** Read as the hub reads a posted body: floating-point numbers as decimals. */
  private static final JsonMapper HUB = decimals(true);

  /** Read with doubles, as a plain mapper would. */
  private static final JsonMapper PLAIN = decimals(false);

  private static JsonMapper decimals(boolean on) {
    JsonMapper.Builder builder = JsonMapper.builder();
    if (on) {
      builder.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }
    return builder.build();
  }

  @Test
  void shouldSortKeysWhenObjectsAreNestedAtAnyDepth() {
    // given
    String one = "{\"b\":1,\"a\":{\"d\":[{\"y\":1,\"x\":{\"q\":1,\"p\":2}}],\"c\":2}}";
    String two = "{\"a\":{\"c\":2,\"d\":[{\"x\":{\"p\":2,\"q\":1},\"y\":1}]},\"b\":1}";

    // when
    String canonical = canonical(one);

    // then
    assertThat(canonical)
        .isEqualTo("{\"a\":{\"c\":2,\"d\":[{\"x\":{\"p\":2,\"q\":1},\"y\":1}]},\"b\":1}");
    assertThat(canonical(two)).isEqualTo(canonical);
    assertThat(sha256(one)).isEqualTo(sha256(two));
  }

  @Test
  void shouldIgnoreInsignificantWhitespaceWhenComparing() {
    // given
    String compact = "{\"a\":[1,2,{\"b\":\"x y\"}]}";
    String spaced = " {\n\t\"a\" :  [ 1 ,\r\n 2 , { \"b\" : \"x y\" } ]\n} ";

    // when / then
    assertThat(canonical(spaced)).isEqualTo(canonical(compact));
    assertThat(sha256(spaced)).isEqualTo(sha256(compact));
  }

  @Test
  void shouldKeepWhitespaceInsideStringsWhenComparing() {
    // when / then
    assertThat(sha256("{\"a\":\"x y\"}")).isNotEqualTo(sha256("{\"a\":\"xy\"}"));
  }

  @ParameterizedTest(name = "{0} == {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1.0|1",
        "1.00|1",
        "1e2|100",
        "1E+2|100.0",
        "0.1|1e-1",
        "0.10|0.1",
        "1e-7|0.0000001",
        "-0.0|0",
        "0.000|0",
        "-2.50|-2.5",
        "12345678901234567890|12345678901234567890.0",
        "36.5|3.65E1"
      })
  void shouldCompareNumbersByValueWhenTheirSpellingDiffers(String one, String two) {
    // when / then
    assertThat(canonical(number(one))).isEqualTo(canonical(number(two)));
    assertThat(sha256(number(one))).isEqualTo(sha256(number(two)));
  }

  @ParameterizedTest(name = "{0} == {1} (doubles)")
  @CsvSource(
      delimiter = '|',
      value = {"1.0|1", "1e2|100", "0.5|5e-1", "36.5|36.50"})
  void shouldCompareNumbersByValueWhenReadAsDoubles(String one, String two) {
    // when / then
    assertThat(CanonicalJson.canonical(PLAIN.readTree(number(one))))
        .isEqualTo(CanonicalJson.canonical(PLAIN.readTree(number(two))));
  }

  @ParameterizedTest(name = "{0} != {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1|2",
        "1|1.0000000001",
        "0.1|0.01",
        "100|1e3",
        "-1|1",
        "1|\"1\"",
        "true|\"true\"",
        "null|\"null\"",
        "0|false",
        "0|null",
        "[]|{}",
        "\"\"|null"
      })
  void shouldTellDifferentValuesApartWhenTheyOnlyLookAlike(String one, String two) {
    // when / then
    assertThat(sha256(number(one))).isNotEqualTo(sha256(number(two)));
  }

  @Test
  void shouldResolveEscapesWhenStringsAreWrittenDifferently() {
    // given
    String escaped = "{\"\\u6848\\u53f7\":\"\\u6d2a\\u73af\\u7f5a\\u3014\\u0032026\\u3015\\/12\"}";
    String plain = "{\"案号\":\"洪环罚〔2026〕/12\"}";

    // when / then
    assertThat(canonical(escaped)).isEqualTo(canonical(plain));
    assertThat(sha256(escaped)).isEqualTo(sha256(plain));
  }

  @Test
  void shouldWriteQuotesBackslashesAndControlCharactersUnambiguouslyWhenCanonical() {
    // given: strings that a naive canonical form could confuse with structure
    String tricky = "{\"a\":\"x\\\",\\\"b\\\":\\\"y\",\"c\":\"\\\\\",\"d\":\"\\n\\t\\u0000\"}";
    String lookalike = "{\"a\":\"x\",\"b\":\"y\",\"c\":\"\\\\\",\"d\":\"\\n\\t\\u0000\"}";

    // when
    String canonical = canonical(tricky);

    // then
    assertThat(sha256(tricky)).isNotEqualTo(sha256(lookalike));
    assertThat(HUB.readTree(canonical)).isEqualTo(HUB.readTree(tricky));
    assertThat(canonical).doesNotContain("\n", "\t", "\u0000");
  }

  @Test
  void shouldKeepArrayOrderWhenComparing() {
    // when / then
    assertThat(sha256("[1,2,3]")).isNotEqualTo(sha256("[3,2,1]"));
    assertThat(sha256("{\"a\":[{\"x\":1},{\"y\":2}]}"))
        .isNotEqualTo(sha256("{\"a\":[{\"y\":2},{\"x\":1}]}"));
    assertThat(canonical("[\"b\",\"a\",[2,1]]")).isEqualTo("[\"b\",\"a\",[2,1]]");
  }

  @Test
  void shouldTellDifferentContentApartWhenOneValueChanges() {
    // given
    String original = "{\"payload\":{\"parties\":[{\"name\":\"张某\",\"catchKg\":36.5}]}}";
    String changed = "{\"payload\":{\"parties\":[{\"name\":\"张某\",\"catchKg\":36.6}]}}";
    String renamed = "{\"payload\":{\"parties\":[{\"name\":\"李某\",\"catchKg\":36.5}]}}";
    String extraKey = "{\"payload\":{\"parties\":[{\"name\":\"张某\",\"catchKg\":36.5,\"x\":null}]}}";

    // when / then
    assertThat(sha256(original))
        .isNotEqualTo(sha256(changed))
        .isNotEqualTo(sha256(renamed))
        .isNotEqualTo(sha256(extraKey))
        .matches("[0-9a-f]{64}");
  }

  @Test
  void shouldGiveTheSameDigestWhenTheSameTreeIsHashedTwice() {
    // given
    JsonNode tree = HUB.readTree("{\"b\":[1,{\"c\":\"洪\"}],\"a\":1.50}");

    // when / then
    assertThat(CanonicalJson.sha256(tree)).isEqualTo(CanonicalJson.sha256(tree.deepCopy()));
  }

  private static String number(String value) {
    return "{\"v\":" + value + "}";
  }

  private static String canonical(String json) {
    return CanonicalJson.canonical(HUB.readTree(json));
  }

  private static String sha256(String json) {
    return CanonicalJson.sha256(HUB.readTree(json));
  }
}
