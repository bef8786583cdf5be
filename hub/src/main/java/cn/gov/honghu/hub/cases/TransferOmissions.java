package cn.gov.honghu.hub.cases;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The 以罚代刑 omissions of each case (THRESHOLDS.md "What a met threshold does"): a penalty decision
 * met a criminal threshold with no CASE_TRANSFER, and the hub raised an omission alert. A later
 * CASE_TRANSFER of the case remedies every open omission of the case.
 */
public final class TransferOmissions {

  private final JdbcTemplate jdbc;

  public TransferOmissions(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void raised(
      String alertMessageId,
      String caseKey,
      String decisionMessageId,
      List<String> clauses,
      Instant at) {
    jdbc.update(
        "INSERT INTO transfer_omission (alert_message_id, case_key, decision_message_id, clauses,"
            + " raised_at) VALUES (?, ?, ?, ?, ?)",
        alertMessageId,
        caseKey,
        decisionMessageId,
        String.join(",", clauses),
        Timestamp.from(at));
  }

  /** Marks the case's open omissions remedied by a transfer; returns their alert message ids. */
  public List<String> remedy(String caseKey, String transferMessageId, Instant at) {
    List<String> open =
        jdbc.queryForList(
            "SELECT alert_message_id FROM transfer_omission WHERE case_key = ? AND remedied_by IS"
                + " NULL ORDER BY raised_at",
            String.class,
            caseKey);
    if (!open.isEmpty()) {
      jdbc.update(
          "UPDATE transfer_omission SET remedied_by = ?, remedied_at = ? WHERE case_key = ? AND"
              + " remedied_by IS NULL",
          transferMessageId,
          Timestamp.from(at),
          caseKey);
    }
    return open;
  }
}
