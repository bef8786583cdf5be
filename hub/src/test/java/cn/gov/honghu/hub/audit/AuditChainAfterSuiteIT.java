package cn.gov.honghu.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.SuiteDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * After the whole suite (thousands of messages, replays, discards, approvals, deadlines, alerts,
 * retention runs, refused keys, tampering tests that put the chain back), the chain of the suite's
 * database verifies, checked here by code of its own from the formula the security guide gives
 * auditors (docs/security.md, "A full independent check"), not by the hub's verifier.
 */
class AuditChainAfterSuiteIT {

  private static final String GENESIS = "0".repeat(64);

  @Test
  void theSuitesChainVerifiesIndependentlyAndHoldsEveryKind() throws Exception {
    long entries = 0;
    String previous = GENESIS;
    Set<String> kinds = new TreeSet<>();
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    try (Connection connection = SuiteDatabase.connect()) {
      connection.setAutoCommit(false); // PostgreSQL streams with a fetch size only in a transaction
      try (Statement statement = connection.createStatement()) {
        statement.setFetchSize(2000);
        try (ResultSet rs =
            statement.executeQuery(
                "SELECT seq, at, kind, actor, message_id, case_number, agency, detail, prev_hash,"
                    + " hash FROM audit_entry ORDER BY seq")) {
          while (rs.next()) {
            long seq = rs.getLong("seq");
            assertThat(seq).as("no entry missing").isEqualTo(entries + 1);
            assertThat(rs.getString("prev_hash")).as("link of seq %d", seq).isEqualTo(previous);
            Map<String, Object> entry = new TreeMap<>(); // sorted keys: the canonical order
            entry.put("seq", seq);
            entry.put("at", rs.getTimestamp("at").toInstant().toString());
            entry.put("kind", rs.getString("kind"));
            entry.put("actor", rs.getString("actor"));
            entry.put("messageId", rs.getString("message_id"));
            entry.put("caseNumber", rs.getString("case_number"));
            entry.put("agency", rs.getString("agency"));
            entry.put("detail", rs.getString("detail"));
            entry.put("prevHash", previous);
            String hash =
                HexFormat.of()
                    .formatHex(
                        sha256.digest((previous + json(entry)).getBytes(StandardCharsets.UTF_8)));
            assertThat(rs.getString("hash")).as("hash of seq %d", seq).isEqualTo(hash);
            previous = hash;
            entries++;
            kinds.add(rs.getString("kind"));
          }
        }
      }
      connection.rollback();
    }
    assertThat(entries).isPositive();
    // .ci/run's first phase runs the whole suite on PostgreSQL (its second, on H2, a smoke subset;
    // a developer's run may be any subset): only then must every kind be there
    if (SuiteDatabase.isPostgres() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      assertThat(entries).isGreaterThan(5000);
      assertThat(kinds)
          .contains(
              "RECEIVED",
              "REFUSED",
              "ACCEPTED",
              "ROUTED",
              "DELIVERED",
              "ACKNOWLEDGED",
              "FAILED",
              "REPLAYED",
              "DISCARDED",
              "APPROVAL_REQUESTED",
              "APPROVED",
              "REJECTED",
              "DEADLINE_OPENED",
              "DEADLINE_CLOSED",
              "DEADLINE_OVERDUE",
              "ALERT_ESCALATED",
              "PERSONAL_DATA_READ",
              "AUTH_FAILED",
              "RULES_LOADED",
              "RETENTION_RUN");
    }
  }

  /** Canonical JSON of a flat object of strings, numbers and nulls (keys already sorted). */
  private static String json(Map<String, Object> entry) {
    StringBuilder out = new StringBuilder("{");
    entry.forEach(
        (key, value) -> {
          if (out.length() > 1) {
            out.append(',');
          }
          out.append('"').append(key).append("\":");
          if (value == null) {
            out.append("null");
          } else if (value instanceof Number) {
            out.append(value);
          } else {
            out.append('"').append(escape((String) value)).append('"');
          }
        });
    return out.append('}').toString();
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
