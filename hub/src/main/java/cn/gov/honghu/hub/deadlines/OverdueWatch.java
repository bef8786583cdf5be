package cn.gov.honghu.hub.deadlines;

import cn.gov.honghu.hub.deadlines.DeadlineBook.DeadlineView;
import cn.gov.honghu.hub.message.HubMessage;
import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.store.MessageStore;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds deadlines whose due time passed unclosed: a window (D2) lapses quietly; any other deadline
 * becomes OVERDUE and the hub sends one {@code DEADLINE_OVERDUE} to the owing agency, the
 * procuratorate and whoever the rules file names (justice for D4/D5).
 *
 * <p>Important: exactly once across restarts and instances. Each deadline is claimed with a
 * conditional update ({@code WHERE state = 'OPEN'}) in the same transaction that stores the notice;
 * a second instance's update of the same row waits for the first's commit and then matches nothing.
 * A hub that was down past a due time finds the row still OPEN and sends the notice when it comes
 * back.
 */
public final class OverdueWatch {

  private static final Logger log = LoggerFactory.getLogger(OverdueWatch.class);
  private static final int BATCH = 100;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final DeadlineRules rules;
  private final DeadlineBook book;
  private final MessageStore store;
  private final JsonMapper json;
  private final Clock clock;
  private final ZoneId zone;

  public OverdueWatch(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      DeadlineRules rules,
      DeadlineBook book,
      MessageStore store,
      JsonMapper json,
      Clock clock,
      ZoneId zone) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.rules = rules;
    this.book = book;
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.zone = zone;
  }

  /** Handles every deadline that is due now; returns how many this instance claimed. */
  public int sweep() {
    int claimed = 0;
    while (true) {
      Instant now = clock.instant();
      List<Long> due =
          jdbc.queryForList(
              "SELECT id FROM case_deadline WHERE state = 'OPEN' AND due_at < ?"
                  + " ORDER BY due_at, id LIMIT "
                  + BATCH,
              Long.class,
              Timestamp.from(now));
      int before = claimed;
      for (long row : due) {
        try {
          Boolean mine = transaction.execute(status -> claim(row, now));
          if (Boolean.TRUE.equals(mine)) {
            claimed++;
          }
        } catch (DataAccessException e) {
          // Another instance holds the row (a lock timeout) or the database hiccuped: the row
          // stays OPEN and the next sweep, here or there, takes it.
          log.debug("deadline {} not claimed this time: {}", row, e.getClass().getSimpleName());
        }
      }
      if (due.size() < BATCH || claimed == before) {
        return claimed;
      }
    }
  }

  private boolean claim(long row, Instant now) {
    Optional<DeadlineView> found = book.find(row);
    if (found.isEmpty()) {
      return false;
    }
    DeadlineView deadline = found.get();
    if (deadline.window()) {
      return jdbc.update(
              "UPDATE case_deadline SET state = 'LAPSED' WHERE id = ? AND state = 'OPEN'", row)
          == 1;
    }
    if (jdbc.update(
            "UPDATE case_deadline SET state = 'OVERDUE' WHERE id = ? AND state = 'OPEN'", row)
        != 1) {
      return false;
    }
    ObjectNode payload = json.createObjectNode();
    payload.put("deadlineId", deadline.id());
    payload.put("owedBy", deadline.owedBy());
    payload.put("act", deadline.act());
    payload.put("dueAt", OffsetDateTime.ofInstant(deadline.dueAt(), zone).toString());
    payload.put("source", deadline.source());
    payload.put("openedBy", deadline.openedBy());
    Set<String> recipients = new LinkedHashSet<>();
    recipients.add(deadline.owedBy());
    recipients.add("procuratorate");
    rules.find(deadline.id()).ifPresent(d -> recipients.addAll(d.alsoNotified()));
    String notice =
        store.storeHubMessage(
            new HubMessage(
                MessageType.DEADLINE_OVERDUE,
                deadline.caseKey(),
                deadline.caseNumber(),
                payload,
                List.copyOf(recipients),
                List.of(deadline.id()),
                List.of(),
                "deadline-" + row),
            now);
    jdbc.update("UPDATE case_deadline SET overdue_notice = ? WHERE id = ?", notice, row);
    // through the book, which owns the deadlines' audit entries
    book.recordOverdue(deadline, notice);
    return true;
  }
}
