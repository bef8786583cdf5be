package cn.gov.honghu.hub.parties;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The penalties the hub has seen, per party key ({@link PartyKeys}) and offence, from any agency. A
 * penalty decision is recorded when it is accepted; a retracted decision no longer counts.
 */
public final class PartyHistory {

  private final JdbcTemplate jdbc;

  public PartyHistory(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Records a penalty decision for each party key; joins the accepting transaction. */
  public void recordPenalty(
      Collection<String> partyKeys,
      String offence,
      LocalDate decidedOn,
      String messageId,
      String caseKey,
      String agency) {
    List<Object[]> rows = new ArrayList<>();
    for (String key : PartyKeys.sorted(Set.copyOf(partyKeys))) {
      rows.add(new Object[] {key, offence, Date.valueOf(decidedOn), messageId, caseKey, agency});
    }
    if (!rows.isEmpty()) {
      jdbc.batchUpdate(
          "INSERT INTO party_penalty (party_hash, offence, decided_on, message_id, case_key,"
              + " agency) VALUES (?, ?, ?, ?, ?, ?)",
          rows);
    }
  }

  /**
   * How many distinct penalty decisions for the same offence against any of the parties were
   * decided from {@code from} to {@code to} (both included), in other cases than {@code caseKey} (a
   * case's own decisions are the same act, not a prior one).
   */
  public int priorPenalties(
      Collection<String> partyKeys, String offence, LocalDate from, LocalDate to, String caseKey) {
    if (partyKeys.isEmpty()) {
      return 0;
    }
    List<Object> args = new ArrayList<>(PartyKeys.sorted(Set.copyOf(partyKeys)));
    String marks = String.join(", ", java.util.Collections.nCopies(args.size(), "?"));
    args.add(offence);
    args.add(Date.valueOf(from));
    args.add(Date.valueOf(to));
    args.add(caseKey == null ? "" : caseKey);
    Integer count =
        jdbc.queryForObject(
            "SELECT COUNT(DISTINCT p.message_id) FROM party_penalty p"
                + " JOIN hub_message m ON m.message_id = p.message_id"
                + " WHERE p.party_hash IN ("
                + marks
                + ") AND p.offence = ? AND p.decided_on BETWEEN ? AND ?"
                + " AND p.case_key <> ? AND m.retracted_by IS NULL",
            Integer.class,
            args.toArray());
    return count == null ? 0 : count;
  }
}
