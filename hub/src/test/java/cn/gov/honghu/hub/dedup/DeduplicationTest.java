package cn.gov.honghu.hub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deduplication of HUB-SPEC section 6 over HTTP: the same message again (however it is spelled), a
 * reused messageId, business duplicates, and all of them under concurrency. The recipient used for
 * inbox checks is {@code natural-resources}, whose inbox is drained first.
 */
@ApplicationTest
class DeduplicationTest {

  private static final String RECIPIENT = "natural-resources";
  private static final int THREADS = 16;

  @LocalServerPort int port;
  HubClient hub;
  ExecutorService pool;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  // ---------------------------------------------------------------- same messageId

  @Test
  void shouldAnswerDuplicateWhenTheSameMessageIsSpelledDifferently() {
    // given: numbers 36 and 1460.5, Chinese text at several depths
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    ObjectNode facts = (ObjectNode) transfer.get("payload").get("facts");
    facts.put("catchKg", 36).put("catchValueYuan", 1460.5);
    String messageId = transfer.get("messageId").asString();
    Answer first = hub.post("agriculture", transfer);
    String respelled = respell(transfer);
    assertThat(respelled).contains("36.0", "\\u6d2a", "\n").doesNotContain("洪", "\"messageId\":");

    // when
    Answer again =
        hub.postRaw("agriculture", "application/json", respelled.getBytes(StandardCharsets.UTF_8));

    // then
    assertThat(first.status()).as(first.text()).isEqualTo(202);
    assertThat(again.status()).as(again.text()).isEqualTo(200);
    assertThat(again.get("status").asString()).isEqualTo("DUPLICATE");
    assertThat(again.get("duplicateOf").asString()).isEqualTo(messageId);
    assertThat(again.get("receiptId").asString()).isEqualTo(first.get("receiptId").asString());
    assertThat(again.get("recipients")).isEqualTo(first.get("recipients"));
    Answer status = hub.get("agriculture", "/api/v1/messages/" + messageId);
    assertThat(recipientsOf(status)).containsExactlyInAnyOrder("police", "procuratorate");
  }

  @Test
  void shouldRouteNothingAgainWhenTheSameMessageIsPostedTwice() {
    // given
    drainInbox(RECIPIENT);
    ObjectNode suggestion = suggestion(Messages.newCaseNumber());
    String messageId = suggestion.get("messageId").asString();
    Answer first = hub.post("procuratorate", suggestion);

    // when
    Answer again =
        hub.postRaw(
            "procuratorate",
            "application/json",
            respell(suggestion).getBytes(StandardCharsets.UTF_8));
    Answer third = hub.post("procuratorate", suggestion);

    // then
    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(200);
    assertThat(third.status()).isEqualTo(200);
    assertThat(inboxItems(RECIPIENT, Set.of(messageId))).hasSize(1);
  }

  @Test
  void shouldRefuseWith409AndStoreNothingWhenTheMessageIdComesWithOtherContent() {
    // given
    drainInbox(RECIPIENT);
    ObjectNode suggestion = suggestion(Messages.newCaseNumber());
    String messageId = suggestion.get("messageId").asString();
    Answer first = hub.post("procuratorate", suggestion);
    ObjectNode changed = suggestion.deepCopy();
    ((ObjectNode) changed.get("payload")).put("content", "另一内容");

    // when
    Answer conflict = hub.post("procuratorate", changed);

    // then
    assertThat(first.status()).isEqualTo(202);
    assertConflict(conflict);
    assertThat(conflict.get("messageId").asString()).isEqualTo(messageId);
    assertThat(conflict.get("receiptId").asString()).isEqualTo(first.get("receiptId").asString());
    List<JsonNode> items = inboxItems(RECIPIENT, Set.of(messageId));
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("message")).isEqualTo(suggestion);
  }

  @Test
  void shouldRefuseWith409WhenOnlyTheSentAtDiffers() {
    // given: the whole envelope is the content, not just the payload
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    Answer first = hub.post("agriculture", transfer);
    ObjectNode later = transfer.deepCopy();
    later.put("sentAt", "2026-01-01T00:00:00+08:00");

    // when
    Answer conflict = hub.post("agriculture", later);

    // then
    assertThat(first.status()).isEqualTo(202);
    assertConflict(conflict);
    assertThat(conflict.get("messageId").asString())
        .isEqualTo(transfer.get("messageId").asString());
    assertThat(conflict.get("receiptId").asString()).isEqualTo(first.get("receiptId").asString());
  }

  @Test
  void shouldRefuseWith409WithoutReceiptWhenAnotherSenderReusesTheMessageId() {
    // given
    ObjectNode suggestion = suggestion(Messages.newCaseNumber());
    String messageId = suggestion.get("messageId").asString();
    assertThat(hub.post("procuratorate", suggestion).status()).isEqualTo(202);
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    transfer.put("messageId", messageId);

    // when
    Answer conflict = hub.post("agriculture", transfer);

    // then
    assertConflict(conflict);
    assertThat(conflict.get("messageId").asString()).isEqualTo(messageId);
    assertThat(conflict.get("receiptId")).isNull();
    assertThat(conflict.text()).doesNotContain("receiptId");
    // and the other sender learns nothing about the message
    assertThat(hub.get("agriculture", "/api/v1/messages/" + messageId).status()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- business duplicates

  @Test
  void shouldAnswerDuplicateOfTheOriginalWhenABusinessTwinHasANewMessageId() {
    // given
    String caseNumber = Messages.newCaseNumber();
    ObjectNode original = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    Answer accepted = hub.post("agriculture", original);
    ObjectNode twin = original.deepCopy();
    String alias = UUID.randomUUID().toString();
    twin.put("messageId", alias);
    twin.put("sentAt", "2026-01-01T08:00:00+08:00");

    // when
    Answer duplicate = hub.post("agriculture", twin);

    // then
    String originalId = original.get("messageId").asString();
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(duplicate.status()).as(duplicate.text()).isEqualTo(200);
    assertThat(duplicate.get("status").asString()).isEqualTo("DUPLICATE");
    assertThat(duplicate.get("duplicateOf").asString()).isEqualTo(originalId);
    assertThat(duplicate.get("receiptId").asString())
        .isEqualTo(accepted.get("receiptId").asString());
    Answer viaAlias = hub.get("agriculture", "/api/v1/messages/" + alias);
    assertThat(viaAlias.status()).isEqualTo(200);
    assertThat(viaAlias.get("messageId").asString()).isEqualTo(originalId);
    assertThat(viaAlias.get("receipt").get("receiptId").asString())
        .isEqualTo(accepted.get("receiptId").asString());
    assertThat(recipientsOf(viaAlias)).containsExactlyInAnyOrder("police", "procuratorate");
    // the alias is remembered: posting it again is a duplicate too
    Answer aliasAgain = hub.post("agriculture", twin);
    assertThat(aliasAgain.status()).isEqualTo(200);
    assertThat(aliasAgain.get("duplicateOf").asString()).isEqualTo(originalId);
  }

  @Test
  void shouldRefuseWith409WhenAnAliasIsReusedWithOtherContent() {
    // given
    ObjectNode original =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    Answer accepted = hub.post("agriculture", original);
    ObjectNode twin = original.deepCopy();
    String alias = UUID.randomUUID().toString();
    twin.put("messageId", alias);
    assertThat(hub.post("agriculture", twin).status()).isEqualTo(200);
    ObjectNode other = Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    other.put("messageId", alias);

    // when
    Answer conflict = hub.post("agriculture", other);

    // then
    assertConflict(conflict);
    assertThat(conflict.get("messageId").asString()).isEqualTo(alias);
    assertThat(conflict.get("receiptId").asString())
        .isEqualTo(accepted.get("receiptId").asString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ascii brackets",
        "fullwidth brackets",
        "lenticular brackets",
        "mixed brackets",
        "padded with spaces",
        "padded with ideographic spaces",
        "fullwidth digits"
      })
  void shouldAnswerDuplicateWhenTheTwinSpellsTheCaseNumberDifferently(String spelling) {
    // given: 洪测〔2026〕xxxx号, and the twin's spelling of the same number
    String caseNumber = Messages.newCaseNumber();
    ObjectNode original = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    Answer accepted = hub.post("agriculture", original);
    String variant =
        switch (spelling) {
          case "ascii brackets" -> caseNumber.replace('〔', '[').replace('〕', ']');
          case "fullwidth brackets" -> caseNumber.replace('〔', '［').replace('〕', '］');
          case "lenticular brackets" -> caseNumber.replace('〔', '【').replace('〕', '】');
          case "mixed brackets" -> caseNumber.replace('〔', '[').replace('〕', '】');
          case "padded with spaces" -> "  " + caseNumber + " ";
          case "padded with ideographic spaces" -> "\u3000" + caseNumber + "\u3000";
          case "fullwidth digits" -> caseNumber.replace("2026", "２０２６");
          default -> throw new IllegalArgumentException(spelling);
        };
    assertThat(variant).isNotEqualTo(caseNumber);
    ObjectNode twin = original.deepCopy();
    twin.put("messageId", UUID.randomUUID().toString());
    twin.put("caseNumber", variant);

    // when
    Answer duplicate = hub.post("agriculture", twin);

    // then
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(duplicate.status()).as(variant + ": " + duplicate.text()).isEqualTo(200);
    assertThat(duplicate.get("duplicateOf").asString())
        .isEqualTo(original.get("messageId").asString());
    // and the case is found under either spelling
    Answer listed =
        hub.get(
            "agriculture",
            "/api/v1/messages?direction=sent&caseNumber="
                + URLEncoder.encode(variant, StandardCharsets.UTF_8));
    assertThat(listed.get("total").asInt()).isEqualTo(1);
  }

  @Test
  void shouldAcceptBothWhenTheSamePayloadIsSentOnAnotherCase() {
    // given
    ObjectNode original =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", original).status()).isEqualTo(202);
    ObjectNode sameOtherCase = original.deepCopy();
    sameOtherCase.put("messageId", UUID.randomUUID().toString());
    sameOtherCase.put("caseNumber", Messages.newCaseNumber());

    // when
    Answer answer = hub.post("agriculture", sameOtherCase);

    // then
    assertThat(answer.status()).isEqualTo(202);
  }

  @Test
  void shouldAcceptBothWhenTheTwinsPayloadDiffers() {
    // given
    ObjectNode original =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", original).status()).isEqualTo(202);
    ObjectNode amended = original.deepCopy();
    amended.put("messageId", UUID.randomUUID().toString());
    ((ObjectNode) amended.get("payload").get("facts")).put("catchKg", 40);

    // when
    Answer answer = hub.post("agriculture", amended);

    // then
    assertThat(answer.status()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void shouldAcceptExactlyOnceWhenTheSameMessageIsPostedConcurrently() throws Exception {
    // given
    drainInbox(RECIPIENT);
    ObjectNode suggestion = suggestion(Messages.newCaseNumber());
    String messageId = suggestion.get("messageId").asString();
    byte[] body = HubClient.JSON.writeValueAsString(suggestion).getBytes(StandardCharsets.UTF_8);

    // when
    List<Answer> answers =
        concurrently(i -> hub.postRaw("procuratorate", "application/json", body));

    // then
    assertThat(statuses(answers)).containsOnly(202, 200);
    assertThat(answers).filteredOn(a -> a.status() == 202).hasSize(1);
    String receiptId =
        answers.stream()
            .filter(a -> a.status() == 202)
            .findFirst()
            .orElseThrow()
            .get("receiptId")
            .asString();
    assertThat(answers)
        .allSatisfy(a -> assertThat(a.get("receiptId").asString()).isEqualTo(receiptId));
    assertThat(answers.stream().filter(a -> a.status() == 200))
        .allSatisfy(a -> assertThat(a.get("duplicateOf").asString()).isEqualTo(messageId));
    assertThat(inboxItems(RECIPIENT, Set.of(messageId))).hasSize(1);
    assertThat(recipientsOf(hub.get("procuratorate", "/api/v1/messages/" + messageId)))
        .containsExactly(RECIPIENT);
  }

  @Test
  void shouldAcceptExactlyOneWhenBusinessTwinsArePostedConcurrently() throws Exception {
    // given: THREADS messages with their own messageIds and the same case and payload
    drainInbox(RECIPIENT);
    ObjectNode suggestion = suggestion(Messages.newCaseNumber());
    List<byte[]> bodies = new ArrayList<>();
    List<String> messageIds = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      ObjectNode twin = suggestion.deepCopy();
      String id = UUID.randomUUID().toString();
      twin.put("messageId", id);
      messageIds.add(id);
      bodies.add(HubClient.JSON.writeValueAsString(twin).getBytes(StandardCharsets.UTF_8));
    }

    // when
    List<Answer> answers =
        concurrently(i -> hub.postRaw("procuratorate", "application/json", bodies.get(i)));

    // then
    assertThat(statuses(answers)).containsOnly(202, 200);
    assertThat(answers).filteredOn(a -> a.status() == 202).hasSize(1);
    Answer winner = answers.stream().filter(a -> a.status() == 202).findFirst().orElseThrow();
    String winnerId = winner.get("messageId").asString();
    assertThat(answers.stream().filter(a -> a.status() == 200))
        .allSatisfy(
            a -> {
              assertThat(a.get("duplicateOf").asString()).isEqualTo(winnerId);
              assertThat(a.get("receiptId").asString())
                  .isEqualTo(winner.get("receiptId").asString());
            });
    List<JsonNode> delivered = inboxItems(RECIPIENT, Set.copyOf(messageIds));
    assertThat(delivered).hasSize(1);
    assertThat(delivered.get(0).get("messageId").asString()).isEqualTo(winnerId);
    assertThat(delivered.get(0).get("sequence").asInt()).isEqualTo(1);
    for (String id : messageIds) {
      Answer seen = hub.get("procuratorate", "/api/v1/messages/" + id);
      assertThat(seen.status()).isEqualTo(200);
      assertThat(seen.get("messageId").asString()).isEqualTo(winnerId);
    }
  }

  // ---------------------------------------------------------------- helpers

  private interface Call {
    Answer post(int index) throws Exception;
  }

  /** Runs THREADS calls at once behind a start gate; answers in thread order. */
  private List<Answer> concurrently(Call call) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Answer>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int index = i;
      futures.add(
          pool.submit(
              () -> {
                ready.countDown();
                start.await();
                return call.post(index);
              }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    start.countDown();
    List<Answer> answers = new ArrayList<>();
    for (Future<Answer> future : futures) {
      answers.add(future.get(60, TimeUnit.SECONDS));
    }
    return answers;
  }

  /** A 409 problem of type {@code urn:hub:problem:message-id-conflict}. */
  private static void assertConflict(Answer conflict) {
    assertThat(conflict.status()).as(conflict.text()).isEqualTo(409);
    assertThat(conflict.contentType()).startsWith("application/problem+json");
    assertThat(conflict.get("type").asString()).isEqualTo("urn:hub:problem:message-id-conflict");
    assertThat(conflict.get("status").asInt()).isEqualTo(409);
  }

  private static List<Integer> statuses(List<Answer> answers) {
    return answers.stream().map(Answer::status).toList();
  }

  private static ObjectNode suggestion(String caseNumber) {
    return Messages.of("PROCURATORIAL_SUGGESTION", "procuratorate", caseNumber, RECIPIENT);
  }

  private static List<String> recipientsOf(Answer status) {
    assertThat(status.status()).as(status.text()).isEqualTo(200);
    List<String> recipients = new ArrayList<>();
    status.get("deliveries").forEach(d -> recipients.add(d.get("recipient").asString()));
    return recipients;
  }

  /** Acknowledges everything in the agency's inbox, so that new deliveries fit in one pull. */
  private void drainInbox(String agency) {
    for (int round = 0; round < 100; round++) {
      Answer pulled = hub.get(agency, "/api/v1/inbox?limit=500");
      assertThat(pulled.status()).isEqualTo(200);
      JsonNode deliveries = pulled.get("deliveries");
      if (deliveries.isEmpty()) {
        return;
      }
      ObjectNode ack = HubClient.JSON.createObjectNode();
      ArrayNode ids = ack.putArray("deliveryIds");
      deliveries.forEach(d -> ids.add(d.get("deliveryId").asString()));
      assertThat(hub.post(agency, "/api/v1/inbox/ack", ack).status()).isEqualTo(200);
    }
  }

  /** The agency's inbox items for the given messages (one pull, nothing acknowledged). */
  private List<JsonNode> inboxItems(String agency, Set<String> messageIds) {
    Answer pulled = hub.get(agency, "/api/v1/inbox?limit=500");
    assertThat(pulled.status()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    pulled
        .get("deliveries")
        .forEach(
            d -> {
              if (messageIds.contains(d.get("messageId").asString())) {
                items.add(d);
              }
            });
    return items;
  }

  /**
   * The same JSON spelled differently: keys in reverse order at every depth, indented, every
   * non-ASCII character and the slash as {@code \\u} escapes, integers as {@code 36.0}, other
   * numbers in exponent form.
   */
  static String respell(JsonNode node) {
    StringBuilder out = new StringBuilder();
    respell(node, out, 0);
    return out.toString();
  }

  private static void respell(JsonNode node, StringBuilder out, int depth) {
    String indent = "\n" + "  ".repeat(depth + 1);
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
      Collections.reverse(entries);
      out.append("{");
      for (int i = 0; i < entries.size(); i++) {
        out.append(i == 0 ? "" : ",").append(indent);
        escaped(entries.get(i).getKey(), out);
        out.append(" :\t");
        respell(entries.get(i).getValue(), out, depth + 1);
      }
      out.append("\n").append("  ".repeat(depth)).append("}");
    } else if (node.isArray()) {
      out.append("[ ");
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : " , ");
        respell(node.get(i), out, depth + 1);
      }
      out.append(" ]");
    } else if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue()).append(".0");
    } else if (node.isNumber()) {
      BigDecimal value = node.decimalValue();
      out.append(value.movePointLeft(3).toPlainString()).append("E3");
    } else if (node.isString()) {
      escaped(node.stringValue(), out);
    } else {
      out.append(node.toString());
    }
  }

  private static void escaped(String text, StringBuilder out) {
    out.append('"');
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '/' || c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
