package cn.gov.honghu.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Inboxes;
import cn.gov.honghu.hub.support.Messages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit chain over the hub's real database (the shared test context; PostgreSQL in CI): what a
 * traced message leaves in it, and what verify reports when an entry is changed or the chain is
 * cut. Every tampering test puts the chain back as it was in {@code finally}, so that the rest of
 * the suite shares a valid chain.
 */
@ApplicationTest
class AuditChainTest {

  private static final String ADMIN = "ops-test-key";

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;
  @Autowired SignedHeads heads;
  @Autowired ChainHash chainHash;
  @Autowired Clock clock;

  private HubClient hub() {
    return new HubClient(port);
  }

  @Test
  void aTracedTransferLeavesItsWholeLifeInTheChainAndTheChainVerifies() {
    HubClient hub = hub();
    String caseNumber = Messages.newCaseNumber();
    ObjectNode transfer = Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null);
    String messageId = transfer.get("messageId").asString();
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    for (String recipient : List.of("police", "procuratorate")) {
      JsonNode delivery = Inboxes.ofMessage(hub, recipient, messageId);
      assertThat(delivery).as(recipient + " got the transfer").isNotNull();
      Answer ack =
          hub.postRaw(
              recipient,
              "/api/v1/inbox/" + delivery.get("deliveryId").asString() + "/ack",
              null,
              new byte[0]);
      assertThat(ack.status()).isEqualTo(204);
    }

    Answer entries = hub.getWithKey(ADMIN, "/admin/v1/audit?messageId=" + messageId);
    assertThat(entries.status()).as(entries.text()).isEqualTo(200);
    List<String> kinds = new ArrayList<>();
    long previousSeq = 0;
    for (JsonNode entry : entries.get("items")) {
      kinds.add(entry.get("kind").asString());
      assertThat(entry.get("seq").asLong()).isGreaterThan(previousSeq);
      previousSeq = entry.get("seq").asLong();
      assertThat(entry.get("hash").asString()).hasSize(64);
    }
    assertThat(kinds)
        .containsSubsequence("RECEIVED", "ACCEPTED", "ROUTED", "ROUTED")
        .contains("DELIVERED", "ACKNOWLEDGED", "DEADLINE_OPENED");
    assertThat(kinds.stream().filter("ACKNOWLEDGED"::equals)).hasSize(2);
    JsonNode accepted = find(entries.get("items"), "ACCEPTED");
    assertThat(accepted.get("actor").asString()).isEqualTo("agriculture");
    assertThat(accepted.get("caseNumber").asString()).isEqualTo(caseNumber);
    // the transfer's personal data is not copied into the chain
    assertThat(entries.text()).doesNotContain(Messages.SUSPECT_ID, Messages.SUSPECT_NAME);

    heads.signHead();
    JsonNode verify = verify();
    assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
    assertThat(verify.get("entries").asLong()).isEqualTo(verify.get("head").get("seq").asLong());
    assertThat(verify.get("signedHead").get("seq").asLong()).isPositive();
  }

  @Test
  void listFiltersByKindAndPagesByKey() {
    HubClient hub = hub();
    for (int i = 0; i < 3; i++) {
      ObjectNode transfer =
          Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
      assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    }
    Answer first = hub.getWithKey(ADMIN, "/admin/v1/audit?kind=accepted&size=2");
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(first.get("items")).hasSize(2);
    first.get("items").forEach(e -> assertThat(e.get("kind").asString()).isEqualTo("ACCEPTED"));
    String next = first.get("nextCursor").asString();
    Answer second = hub.getWithKey(ADMIN, "/admin/v1/audit?kind=ACCEPTED&size=2&after=" + next);
    assertThat(second.get("items").get(0).get("seq").asLong())
        .isGreaterThan(first.get("items").get(1).get("seq").asLong());

    assertThat(hub.getWithKey(ADMIN, "/admin/v1/audit?kind=NOPE").status()).isEqualTo(400);
    assertThat(hub.getWithKey(ADMIN, "/admin/v1/audit?from=yesterday").status()).isEqualTo(400);
    assertThat(hub.getWithKey(ADMIN, "/admin/v1/audit?after=not-a-cursor!").status())
        .isEqualTo(400);
    assertThat(hub.getWithKey(ADMIN, "/admin/v1/audit?size=501").status()).isEqualTo(400);
    assertThat(hub.get("police", "/admin/v1/audit").status()).isEqualTo(403);
    assertThat(hub.getWithKey("no-such-key", "/admin/v1/audit/verify").status()).isEqualTo(401);
  }

  @Test
  void oneChangedByteIsNamedByItsSeq() {
    long seq = lastSeq() - 1;
    Map<String, Object> before =
        jdbc.queryForMap("SELECT kind, detail FROM audit_entry WHERE seq = ?", seq);
    String kind = (String) before.get("kind");
    // one byte: the kind's last letter
    String changed = kind.substring(0, kind.length() - 1) + (kind.endsWith("D") ? "E" : "D");
    jdbc.update("UPDATE audit_entry SET kind = ? WHERE seq = ?", changed, seq);
    try {
      JsonNode verify = verify();
      assertThat(verify.get("ok").asBoolean()).isFalse();
      assertThat(verify.get("firstBroken").get("seq").asLong()).isEqualTo(seq);
      assertThat(verify.get("firstBroken").get("reason").asString()).contains("hash");
    } finally {
      jdbc.update("UPDATE audit_entry SET kind = ? WHERE seq = ?", kind, seq);
    }
    assertThat(verify().get("ok").asBoolean()).isTrue();
  }

  @Test
  void removingTheLastEntriesIsReportedAgainstTheSignedHeadAndIsNeverSigned() {
    hub()
        .post(
            "agriculture",
            Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null));
    heads.signHead();
    TransactionTemplate transaction = new TransactionTemplate(transactions);
    List<Map<String, Object>> removed = new ArrayList<>();
    long[] kept = new long[1];
    // the attacker's consistent cut: the last three entries gone and the head row moved back, so
    // that only the signed head can tell
    transaction.executeWithoutResult(
        status -> {
          long head =
              jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", Long.class);
          kept[0] = head - 3;
          removed.addAll(jdbc.queryForList("SELECT * FROM audit_entry WHERE seq > ?", kept[0]));
          jdbc.update("DELETE FROM audit_entry WHERE seq > ?", kept[0]);
          jdbc.update(
              "UPDATE audit_head SET seq = ?, hash = (SELECT hash FROM audit_entry WHERE seq = ?)"
                  + " WHERE id = 1",
              kept[0],
              kept[0]);
        });
    try {
      JsonNode verify = verify();
      assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isFalse();
      assertThat(verify.get("firstBroken").get("seq").asLong()).isEqualTo(kept[0] + 1);
      assertThat(verify.get("firstBroken").get("reason").asString())
          .contains("shorter than the signed head");
      long signedBefore = verify.get("signedHead").get("seq").asLong();
      assertThat(heads.signHead()).as("a cut chain is not signed").isNull();
      assertThat(verify().get("signedHead").get("seq").asLong()).isEqualTo(signedBefore);
    } finally {
      transaction.executeWithoutResult(
          status -> {
            jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", Long.class);
            for (Map<String, Object> row : removed) {
              jdbc.update(
                  "INSERT INTO audit_entry (seq, at, kind, actor, message_id, case_number, agency,"
                      + " detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  row.get("seq"),
                  row.get("at"),
                  row.get("kind"),
                  row.get("actor"),
                  row.get("message_id"),
                  row.get("case_number"),
                  row.get("agency"),
                  row.get("detail"),
                  row.get("prev_hash"),
                  row.get("hash"));
            }
            Map<String, Object> last = removed.get(removed.size() - 1);
            jdbc.update(
                "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1",
                last.get("seq"),
                last.get("hash"));
          });
    }
    assertThat(verify().get("ok").asBoolean()).isTrue();
  }

  @Test
  void twoAppendersOnOneDatabaseKeepOneChain() throws Exception {
    // two instances' trails: separate objects sharing nothing but the database
    AuditTrail first = AuditTrails.direct(jdbc, clock);
    AuditTrail second = AuditTrails.direct(jdbc, clock);
    long before = lastSeq();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        AuditTrail trail = t % 2 == 0 ? first : second;
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        int writer = t;
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    int n = i;
                    transaction.executeWithoutResult(
                        status ->
                            trail.record(
                                List.of(
                                    entry("writer " + writer + " #" + n + " a"),
                                    entry("writer " + writer + " #" + n + " b"))));
                  }
                }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(lastSeq()).isGreaterThanOrEqualTo(before + 400);
    List<Long> seqs =
        jdbc.queryForList(
            "SELECT seq FROM audit_entry WHERE seq > ? AND detail LIKE 'writer %' ORDER BY seq",
            Long.class, before);
    assertThat(seqs).hasSize(400);
    // each transaction's two entries are adjacent: an append is never interleaved
    List<String> details =
        jdbc.queryForList(
            "SELECT detail FROM audit_entry WHERE seq > ? AND detail LIKE 'writer %' ORDER BY seq",
            String.class, before);
    for (int i = 0; i < details.size(); i += 2) {
      assertThat(details.get(i)).endsWith(" a");
      assertThat(details.get(i + 1))
          .isEqualTo(details.get(i).substring(0, details.get(i).length() - 1) + "b");
    }
    assertThat(verify().get("ok").asBoolean()).isTrue();
  }

  @Test
  void aRolledBackTransactionLeavesNoEntry() {
    long before = lastSeq();
    TransactionTemplate transaction = new TransactionTemplate(transactions);
    transaction.executeWithoutResult(
        status -> {
          AuditTrails.direct(jdbc, clock).record(entry("rolled back"));
          status.setRollbackOnly();
        });
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM audit_entry WHERE seq > ? AND detail = 'rolled back'",
                Long.class,
                before))
        .isZero();
  }

  @Test
  void theSignedHeadFileVerifiesWithThePublicKeyAloneAsStandardEd25519() throws Exception {
    hub()
        .post(
            "agriculture",
            Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null));
    heads.signHead();
    List<String> lines = Files.readAllLines(heads.file());
    String[] last = lines.get(lines.size() - 1).split(" ");
    String pem =
        Files.readString(heads.file().resolveSibling(SignedHeads.PUBLIC_KEY_FILE))
            .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    PublicKey key =
        KeyFactory.getInstance("Ed25519")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    Signature signature = Signature.getInstance("Ed25519"); // the JDK's, not the hub's code
    signature.initVerify(key);
    signature.update((last[0] + " " + last[1] + " " + last[2]).getBytes(StandardCharsets.UTF_8));
    assertThat(signature.verify(Base64.getDecoder().decode(last[3]))).isTrue();
    String hashAtSeq =
        jdbc.queryForObject(
            "SELECT hash FROM audit_entry WHERE seq = ?", String.class, Long.parseLong(last[0]));
    assertThat(hashAtSeq).isEqualTo(last[1]);
  }

  @Test
  void rulesLoadedIsRecordedAtStartWithTheRulesHash() {
    Answer rules = hub().getWithKey(ADMIN, "/admin/v1/audit?kind=RULES_LOADED");
    assertThat(rules.get("items")).isNotEmpty();
    assertThat(rules.get("items").get(0).get("detail").asString())
        .containsPattern("version=\\S+ sha256=[0-9a-f]{64}");
  }

  @Test
  void theChainHashIsSha256OrSm3OverPrevHashAndTheCanonicalEntry() {
    // published test vectors: SHA-256("abc") and SM3("abc") (GB/T 32905 appendix A)
    assertThat(new ChainHash(false).hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(new ChainHash(true).hex("abc"))
        .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    ChainedEntry entry =
        new ChainedEntry(
            7,
            java.time.Instant.parse("2026-12-07T10:00:00.123Z"),
            "ACCEPTED",
            "agriculture",
            "m-1",
            null,
            "agriculture",
            "status=202",
            "ab",
            null);
    assertThat(ChainHash.canonical(entry))
        .isEqualTo(
            "{\"actor\":\"agriculture\",\"agency\":\"agriculture\",\"at\":\"2026-12-07T10:00:00.123Z\","
                + "\"caseNumber\":null,\"detail\":\"status=202\",\"kind\":\"ACCEPTED\","
                + "\"messageId\":\"m-1\",\"prevHash\":\"ab\",\"seq\":7}");
    // seq as a plain integer, as any JSON tool writes it
    assertThat(
            ChainHash.canonical(
                new ChainedEntry(
                    10,
                    entry.at(),
                    "A",
                    null,
                    null,
                    null,
                    null,
                    "line\nbreak \"quoted\"",
                    "ab",
                    null)))
        .endsWith(
            "\"detail\":\"line\\u000abreak \\\"quoted\\\"\",\"kind\":\"A\",\"messageId\":null,\"prevHash\":\"ab\",\"seq\":10}");
    assertThat(new ChainHash(false).hash(entry))
        .isEqualTo(new ChainHash(false).hex("ab" + ChainHash.canonical(entry)));
  }

  private JsonNode verify() {
    Answer answer = hub().getWithKey(ADMIN, "/admin/v1/audit/verify");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.json();
  }

  private long lastSeq() {
    return jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);
  }

  private static AuditTrail.Entry entry(String detail) {
    return new AuditTrail.Entry(AuditTrail.Kind.RULES_LOADED, "test", null, null, null, detail);
  }

  private static JsonNode find(JsonNode items, String kind) {
    for (JsonNode item : items) {
      if (kind.equals(item.get("kind").asString())) {
        return item;
      }
    }
    throw new AssertionError("no " + kind + " in " + items);
  }
}
