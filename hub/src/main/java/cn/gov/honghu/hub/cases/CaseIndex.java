package cn.gov.honghu.hub.cases;

import cn.gov.honghu.hub.cases.CaseView.CaseMessage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The minimal case index: who opened each case and who its parties are, built from accepted
 * messages. It serves the party rule (403) and routing; deadlines and thresholds read it later.
 */
public final class CaseIndex {

  private final JdbcTemplate jdbc;

  public CaseIndex(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Whether the agency may send on the case: it is new, or the agency is already a party. */
  public boolean mayTakePart(String caseKey, String agency) {
    Integer cases =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM case_file WHERE case_key = ?", Integer.class, caseKey);
    if (cases == null || cases == 0) {
      return true;
    }
    Integer party =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM case_party WHERE case_key = ? AND agency = ?",
            Integer.class,
            caseKey,
            agency);
    return party != null && party > 0;
  }

  public boolean isParty(String caseKey, String agency) {
    Integer party =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM case_party WHERE case_key = ? AND agency = ?",
            Integer.class,
            caseKey,
            agency);
    return party != null && party > 0;
  }

  public CaseView load(String caseKey) {
    List<String> opened =
        jdbc.queryForList(
            "SELECT opened_by FROM case_file WHERE case_key = ?", String.class, caseKey);
    if (opened.isEmpty()) {
      return CaseView.none(caseKey);
    }
    Set<String> parties =
        new LinkedHashSet<>(
            jdbc.queryForList(
                "SELECT agency FROM case_party WHERE case_key = ?", String.class, caseKey));
    Map<String, List<String>> recipients = new HashMap<>();
    jdbc.query(
        "SELECT message_id, recipient FROM delivery WHERE case_key = ? ORDER BY id",
        rs -> {
          recipients.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        },
        caseKey);
    List<CaseMessage> messages =
        jdbc.query(
            "SELECT message_id, type, sender, addressee, decision, retracted_by FROM hub_message"
                + " WHERE case_key = ? ORDER BY accept_seq",
            (rs, i) ->
                new CaseMessage(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    recipients.getOrDefault(rs.getString(1), List.of()),
                    rs.getString(6) != null),
            caseKey);
    return new CaseView(caseKey, opened.get(0), parties, messages);
  }

  /**
   * Opens the case if new and takes its row lock, so that messages of one case are routed and
   * stored one after the other: case rules see every earlier message, and sequences per recipient
   * have no gaps or doubles. Call inside the accepting transaction; returns whether this
   * transaction opened the case.
   */
  public boolean lockOrOpen(String caseKey, String caseNumber, String sender, Instant at) {
    int opened =
        jdbc.update(
            "INSERT INTO case_file (case_key, case_number, opened_by, opened_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            caseKey,
            caseNumber,
            sender,
            Timestamp.from(at));
    jdbc.queryForObject(
        "SELECT case_key FROM case_file WHERE case_key = ? FOR UPDATE", String.class, caseKey);
    return opened > 0;
  }

  /**
   * Records the sender as a party and gives each recipient the next sequence of the case; call
   * after {@link #lockOrOpen} in the same transaction. A null sender (the hub itself) is not a
   * party. Returns the sequence per recipient.
   */
  public Map<String, Integer> addParties(String caseKey, String sender, List<String> recipients) {
    Map<String, Integer> last = new HashMap<>();
    jdbc.query(
        "SELECT agency, last_sequence FROM case_party WHERE case_key = ?",
        rs -> {
          last.put(rs.getString(1), rs.getInt(2));
        },
        caseKey);
    if (sender != null && !last.containsKey(sender)) {
      jdbc.update(
          "INSERT INTO case_party (case_key, agency, last_sequence) VALUES (?, ?, 0)",
          caseKey,
          sender);
      last.put(sender, 0);
    }
    Map<String, Integer> sequences = new HashMap<>();
    for (String recipient : recipients) {
      Integer previous = last.get(recipient);
      int next = previous == null ? 1 : previous + 1;
      if (previous == null) {
        jdbc.update(
            "INSERT INTO case_party (case_key, agency, last_sequence) VALUES (?, ?, ?)",
            caseKey,
            recipient,
            next);
      } else {
        jdbc.update(
            "UPDATE case_party SET last_sequence = ? WHERE case_key = ? AND agency = ?",
            next,
            caseKey,
            recipient);
      }
      sequences.put(recipient, next);
    }
    return sequences;
  }

  /**
   * Marks a message retracted (T16); the timeline shows it and deadlines it opened are off. Its
   * business key is released (replaced by one no message can have), so the same content sent again
   * after the retraction is a new message, not a business duplicate of the withdrawn one.
   */
  public void markRetracted(String retractedMessageId, String byMessageId) {
    jdbc.update(
        "UPDATE hub_message SET retracted_by = ?, business_key_sha256 = ?"
            + " WHERE message_id = ? AND retracted_by IS NULL",
        byMessageId,
        released(retractedMessageId),
        retractedMessageId);
  }

  /** A key outside the SHA-256 hex alphabet ('r'), unique per message. */
  private static String released(String messageId) {
    String key = "r" + messageId.replace("-", "");
    return (key + "r".repeat(64)).substring(0, 64);
  }
}
