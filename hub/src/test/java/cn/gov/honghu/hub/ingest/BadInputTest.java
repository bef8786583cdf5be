package cn.gov.honghu.hub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile and broken bodies (HUB-SPEC section 10: bad input never crashes a route): each gets a
 * clear 400 {@code invalid-message} problem answer, and the hub keeps accepting valid messages
 * afterwards. Each test sends what it needs itself; none depends on another having run.
 */
@ApplicationTest
class BadInputTest {

  private static final String JSON = "application/json";
  private static final String INVALID_MESSAGE = "urn:hub:problem:invalid-message";

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  /** A bad body, the exact status it must get, and (for schema failures) the offending pointer. */
  record Bad(String why, Supplier<byte[]> body, int status, String pointer) {
    @Override
    public String toString() {
      return why;
    }
  }

  static Stream<Arguments> badBodies() {
    List<Bad> bad = new ArrayList<>();
    // syntax
    bad.add(new Bad("malformed JSON", () -> utf8("{\"messageId\": \"abc\", }"), 400, ""));
    bad.add(
        new Bad("unterminated object", () -> utf8(transferText().replaceAll("}$", "")), 400, ""));
    bad.add(new Bad("single quotes", () -> utf8("{'type': 'CASE_TRANSFER'}"), 400, ""));
    bad.add(new Bad("trailing garbage", () -> utf8(transferText() + " garbage"), 400, ""));
    bad.add(new Bad("two objects", () -> utf8(transferText() + transferText()), 400, ""));
    bad.add(new Bad("trailing comma", () -> utf8(transferText().replaceAll("}$", ",}")), 400, ""));
    bad.add(new Bad("comment", () -> utf8("/* hi */" + transferText()), 400, ""));
    bad.add(new Bad("NaN", () -> utf8(transferText().replace("36.5", "NaN")), 400, ""));
    bad.add(new Bad("empty body", () -> new byte[0], 400, ""));
    bad.add(new Bad("only whitespace", () -> utf8("  \n\t "), 400, ""));
    bad.add(new Bad("literal null", () -> utf8("null"), 400, ""));
    bad.add(new Bad("JSON array", () -> utf8("[" + transferText() + "]"), 400, ""));
    bad.add(new Bad("JSON string", () -> utf8("\"CASE_TRANSFER\""), 400, ""));
    bad.add(new Bad("JSON number", () -> utf8("42"), 400, ""));
    bad.add(new Bad("JSON boolean", () -> utf8("true"), 400, ""));
    bad.add(new Bad("invalid UTF-8 bytes", BadInputTest::invalidUtf8, 400, ""));
    bad.add(new Bad("overlong UTF-8 encoding", BadInputTest::overlongUtf8, 400, ""));
    bad.add(
        new Bad("UTF-16 body", () -> transferText().getBytes(StandardCharsets.UTF_16), 400, ""));
    bad.add(new Bad("NUL byte outside strings", () -> utf8(transferText() + "\u0000"), 400, ""));
    bad.add(
        new Bad(
            "raw control character in a string",
            () -> utf8(transferText().replace("电鱼器具一套", "电鱼\u0001器具")),
            400,
            ""));
    bad.add(new Bad("duplicate keys", BadInputTest::duplicateKeys, 400, ""));
    bad.add(new Bad("duplicate keys in payload", BadInputTest::duplicateKeysInPayload, 400, ""));
    bad.add(new Bad("10,000 nested arrays in payload", () -> nested(10_000), 400, ""));
    bad.add(new Bad("100 nested arrays in payload", () -> nested(100), 400, ""));
    // shape
    bad.add(
        new Bad(
            "payload a string", () -> transfer(m -> m.put("payload", "CASE")), 400, "/payload"));
    bad.add(new Bad("payload null", () -> transfer(m -> m.putNull("payload")), 400, "/payload"));
    bad.add(
        new Bad(
            "parties an object",
            () ->
                transfer(
                    m -> payload(m).set("parties", payload(m).get("parties").get(0).deepCopy())),
            400,
            "/payload/parties"));
    bad.add(
        new Bad(
            "a party a string",
            () -> transfer(m -> ((ArrayNode) payload(m).get("parties")).set(0, "张三")),
            400,
            "/payload/parties/0"));
    bad.add(
        new Bad(
            "lat a string", () -> alert(a -> payload(a).put("lat", "29.79")), 400, "/payload/lat"));
    bad.add(
        new Bad(
            "lat out of range", () -> alert(a -> payload(a).put("lat", 91)), 400, "/payload/lat"));
    bad.add(
        new Bad(
            "messageId not a UUID",
            () -> transfer(m -> m.put("messageId", "42")),
            400,
            "/messageId"));
    bad.add(
        new Bad(
            "messageId a number", () -> transfer(m -> m.put("messageId", 42)), 400, "/messageId"));
    bad.add(new Bad("sender a number", () -> transfer(m -> m.put("sender", 7)), 400, "/sender"));
    bad.add(new Bad("type an array", () -> transfer(m -> m.putArray("type")), 400, "/type"));
    bad.add(
        new Bad(
            "caseNumber an object",
            () -> transfer(m -> m.putObject("caseNumber")),
            400,
            "/caseNumber"));
    bad.add(new Bad("missing payload", () -> transfer(m -> m.remove("payload")), 400, "/payload"));
    bad.add(
        new Bad(
            "missing messageId", () -> transfer(m -> m.remove("messageId")), 400, "/messageId"));
    bad.add(new Bad("missing sentAt", () -> transfer(m -> m.remove("sentAt")), 400, "/sentAt"));
    bad.add(
        new Bad(
            "missing facts",
            () -> transfer(m -> payload(m).remove("facts")),
            400,
            "/payload/facts"));
    // size
    bad.add(
        new Bad(
            "500 KB name",
            () -> transfer(m -> party(m).put("name", "张".repeat(170_000))),
            400,
            "/payload/parties/0/name"));
    bad.add(
        new Bad(
            "500 KB caseNumber",
            () -> transfer(m -> m.put("caseNumber", "洪".repeat(170_000))),
            400,
            "/caseNumber"));
    bad.add(
        new Bad(
            "500 KB property name", () -> transfer(m -> m.put("x".repeat(500_000), 1)), 400, ""));
    bad.add(
        new Bad(
            "number with 5,000 digits",
            () -> utf8(transferText().replace("36.5", "3" + "6".repeat(5_000))),
            400,
            ""));
    bad.add(
        new Bad(
            "number with an exponent beyond the int range",
            () -> utf8(transferText().replace("36.5", "1E+2147483648")),
            400,
            ""));
    bad.add(
        new Bad(
            "zero with a huge exponent",
            () -> utf8(transferText().replace("36.5", "0e99999999999")),
            400,
            ""));
    // control characters where they are not allowed
    bad.add(
        new Bad(
            "NUL in caseNumber",
            () -> transfer(m -> m.put("caseNumber", "洪环罚\u0000〔2026〕12号")),
            400,
            "/caseNumber"));
    bad.add(
        new Bad(
            "newline in caseNumber",
            () -> transfer(m -> m.put("caseNumber", "洪环罚\n〔2026〕12号")),
            400,
            "/caseNumber"));
    bad.add(
        new Bad(
            "C1 control in caseNumber",
            () -> transfer(m -> m.put("caseNumber", "洪环罚\u0085〔2026〕12号")),
            400,
            "/caseNumber"));
    bad.add(
        new Bad(
            "DEL in caseNumber",
            () -> transfer(m -> m.put("caseNumber", "洪环罚\u007f12号")),
            400,
            "/caseNumber"));
    for (String forbidden : List.of("/", "\\", ";", "%", "?", "#")) {
      bad.add(
          new Bad(
              "'" + forbidden + "' in caseNumber",
              () -> transfer(m -> m.put("caseNumber", "洪环罚" + forbidden + "12号")),
              400,
              "/caseNumber"));
    }
    bad.add(
        new Bad(
            "empty caseNumber", () -> transfer(m -> m.put("caseNumber", "")), 400, "/caseNumber"));
    bad.add(
        new Bad(
            "blank caseNumber",
            () -> transfer(m -> m.put("caseNumber", "   ")),
            400,
            "/caseNumber"));
    bad.add(
        new Bad(
            "ideographic-space caseNumber",
            () -> transfer(m -> m.put("caseNumber", "\u3000\u3000")),
            400,
            "/caseNumber"));
    bad.add(
        new Bad(
            "65-character caseNumber",
            () -> transfer(m -> m.put("caseNumber", "号".repeat(65))),
            400,
            "/caseNumber"));
    bad.add(
        new Bad(
            "NUL in the transfer number",
            () -> transfer(m -> payload(m).put("transferNo", "洪移\u0000号")),
            400,
            "/payload/transferNo"));
    return bad.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void shouldAnswerAClear4xxWhenTheBodyIsBad(Bad bad) {
    // given
    byte[] body = bad.body().get();

    // when
    Answer answer = hub.postRaw("agriculture", JSON, body);

    // then
    assertThat(answer.status()).as(bad.why() + ": " + abbreviated(answer)).isEqualTo(bad.status());
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.get("type").asString()).isEqualTo(INVALID_MESSAGE);
    assertThat(answer.get("status").asInt()).isEqualTo(bad.status());
    assertThat(answer.get("title").asString()).isNotBlank();
    assertThat(answer.get("detail").asString()).isNotBlank();
    assertThat(answer.text().length()).isLessThan(5_000);
    if (!bad.pointer().isEmpty()) {
      List<String> pointers = new ArrayList<>();
      answer.get("errors").forEach(e -> pointers.add(e.get("pointer").asString()));
      assertThat(pointers).contains(bad.pointer());
    }
  }

  @Test
  void shouldRefuseWith400WhenTheCaseNumberIsTooLongOnceNormalised() {
    // given: 64 characters, but NFKC spells ㈱ as "(株)", 184 characters in all
    String caseNumber = "㈱".repeat(60) + Messages.newCaseNumber().substring(0, 4);
    ObjectNode message = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertThat(answer.status()).as(abbreviated(answer)).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.get("type").asString()).isEqualTo(INVALID_MESSAGE);
    assertThat(answer.get("errors").get(0).get("pointer").asString()).isEqualTo("/caseNumber");
  }

  @Test
  void shouldAcceptACaseNumberWhenNormalisationLengthensItWithinTheLimit() {
    // given: 20 × ㈱ is 60 characters once normalised
    String caseNumber = "㈱".repeat(20) + Messages.newCaseNumber();
    ObjectNode message = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertThat(answer.status()).as(abbreviated(answer)).isEqualTo(202);
  }

  @Test
  void shouldAcceptACaseNumberWhenItHasCharactersBeyondTheBasicPlane() {
    // given: 𠀀 (CJK extension B) is one code point, two Java characters
    String caseNumber = "\uD840\uDC00\uD840\uDC00" + Messages.newCaseNumber();
    ObjectNode message = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertThat(answer.status()).as(abbreviated(answer)).isEqualTo(202);
  }

  @Test
  void shouldRefuseWith400WhenACaseNumberBeyondTheBasicPlaneIsTooLongToStore() {
    // given: 40 code points (the schema's count) but 80 Java characters
    String caseNumber = "\uD840\uDC00".repeat(30) + Messages.newCaseNumber().substring(4, 14);
    assertThat(caseNumber.codePointCount(0, caseNumber.length())).isEqualTo(40);
    ObjectNode message = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);

    // when
    Answer answer = hub.post("agriculture", message);

    // then
    assertThat(answer.status()).as(abbreviated(answer)).isEqualTo(400);
    assertThat(answer.get("type").asString()).isEqualTo(INVALID_MESSAGE);
    assertThat(answer.get("errors").get(0).get("pointer").asString()).isEqualTo("/caseNumber");
  }

  @Test
  void shouldAcceptTheAlertWhenItsIdHasCharactersBeyondTheBasicPlane() {
    // given: 40 code points (the schema's limit), 74 Java characters (the column holds 128)
    ObjectNode alert =
        Messages.alert(
            "agriculture",
            "\uD840\uDC00".repeat(34) + UUID.randomUUID().toString().substring(0, 6),
            "honghu-lake");

    // when
    Answer answer = hub.post("agriculture", alert);

    // then
    assertThat(answer.status()).as(abbreviated(answer)).isEqualTo(202);
    assertThat(answer.get("status").asString()).isEqualTo("ACCEPTED");
  }

  @Test
  void shouldStillAcceptAValidMessageWhenBadInputCameBefore() {
    // given: every bad body of this class, sent by this test itself
    badBodies()
        .map(arguments -> (Bad) arguments.get()[0])
        .forEach(
            bad ->
                assertThat(hub.postRaw("agriculture", JSON, bad.body().get()).status())
                    .as(bad.why())
                    .isEqualTo(bad.status()));
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);

    // when
    Answer answer = hub.post("agriculture", transfer);

    // then
    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.get("status").asString()).isEqualTo("ACCEPTED");
  }

  // ---------------------------------------------------------------- bodies

  private static ObjectNode validTransfer() {
    return Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
  }

  private static String transferText() {
    return HubClient.JSON.writeValueAsString(validTransfer());
  }

  private static byte[] transfer(Consumer<ObjectNode> change) {
    ObjectNode message = validTransfer();
    change.accept(message);
    return utf8(HubClient.JSON.writeValueAsString(message));
  }

  private static byte[] alert(Consumer<ObjectNode> change) {
    ObjectNode message = Messages.of("FISHING_BAN_ALERT", "agriculture", null, null);
    change.accept(message);
    return utf8(HubClient.JSON.writeValueAsString(message));
  }

  private static ObjectNode payload(ObjectNode message) {
    return (ObjectNode) message.get("payload");
  }

  private static ObjectNode party(ObjectNode message) {
    return (ObjectNode) payload(message).get("parties").get(0);
  }

  private static byte[] nested(int depth) {
    String text = transferText();
    String deep = "[".repeat(depth) + "]".repeat(depth);
    return utf8(text.replace("\"payload\":{", "\"payload\":{\"deep\":" + deep + ","));
  }

  private static byte[] duplicateKeys() {
    String text = transferText();
    return utf8(
        text.replace(
            "\"sender\":\"agriculture\"", "\"sender\":\"agriculture\",\"sender\":\"environment\""));
  }

  private static byte[] duplicateKeysInPayload() {
    String text = transferText();
    return utf8(text.replace("\"payload\":{", "\"payload\":{\"transferNo\":\"A\","));
  }

  private static byte[] invalidUtf8() {
    byte[] text = utf8(transferText().replace("电鱼器具一套", "@@"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String s = new String(text, StandardCharsets.UTF_8);
    int at = s.indexOf("@@");
    byte[] before = utf8(s.substring(0, at));
    byte[] after = utf8(s.substring(at + 2));
    out.writeBytes(before);
    out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE});
    out.writeBytes(after);
    return out.toByteArray();
  }

  private static byte[] overlongUtf8() {
    // "/" (0x2F) encoded in two bytes: a classic filter bypass, invalid in UTF-8
    String s = transferText();
    int at = s.indexOf("电鱼器具一套");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(s.substring(0, at)));
    out.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF});
    out.writeBytes(utf8(s.substring(at)));
    return out.toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String abbreviated(Answer answer) {
    String text = answer.text() == null ? "" : answer.text();
    return answer.status() + " " + (text.length() > 500 ? text.substring(0, 500) + "..." : text);
  }
}
