package cn.gov.honghu.hub.deadlines;

import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.cases.CaseView;
import cn.gov.honghu.hub.cases.CaseView.CaseMessage;
import cn.gov.honghu.hub.deadlines.DeadlineRules.Deadline;
import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.web.Cursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The statutory deadlines of each case (THRESHOLDS.md "Statutory deadlines"): opened and closed by
 * accepted messages as the rules file says, in the accepting transaction, so a deadline exists
 * exactly when its opening message does. The clock runs from the hub's acceptance of the opening
 * message.
 *
 * <p>States: {@code OPEN}; {@code CLOSED_ON_TIME} / {@code CLOSED_LATE} by the closing message;
 * {@code OVERDUE} once its due time passed unclosed (the overdue notice went out; a late closing
 * then makes it {@code CLOSED_LATE}); {@code LAPSED} for a window (D2) that passed unused; {@code
 * CANCELLED} when the opening message was retracted.
 */
public final class DeadlineBook {

  public static final String OPEN = "OPEN";
  public static final String CLOSED_ON_TIME = "CLOSED_ON_TIME";
  public static final String CLOSED_LATE = "CLOSED_LATE";
  public static final String OVERDUE = "OVERDUE";
  public static final String LAPSED = "LAPSED";
  public static final String CANCELLED = "CANCELLED";

  /** A filter value only: closed on time or late. */
  public static final String CLOSED = "CLOSED";

  /** One deadline of a case. */
  public record DeadlineView(
      long row,
      String id,
      String caseNumber,
      String owedBy,
      String act,
      boolean window,
      Instant openedAt,
      Instant dueAt,
      Instant closedAt,
      String state,
      String openedBy,
      String closedBy,
      String source,
      String caseKey) {}

  private static final String COLUMNS =
      "id, deadline_id, case_number, owed_by, act, is_window, opened_at, due_at, closed_at, state,"
          + " opened_by, closed_by, source, case_key";

  private final JdbcTemplate jdbc;
  private final DeadlineRules rules;
  private final DeadlineSettings settings;
  private final CaseIndex cases;
  private final AuditTrail audit;

  public DeadlineBook(
      JdbcTemplate jdbc,
      DeadlineRules rules,
      DeadlineSettings settings,
      CaseIndex cases,
      AuditTrail audit) {
    this.jdbc = jdbc;
    this.rules = rules;
    this.settings = settings;
    this.cases = cases;
    this.audit = audit;
  }

  /**
   * Applies an accepted case message to the case's deadlines: a retraction cancels what the
   * retracted message opened and reopens what it closed; a closing message closes the oldest
   * matching deadline the sender owes; an opening message opens its deadlines. Call in the
   * accepting transaction, after the message is stored.
   */
  public void track(Submission message, Instant acceptedAt) {
    if (message.caseKey() == null) {
      return;
    }
    String type = message.type().name();
    if (message.type() == MessageType.RETRACTION) {
      retract(text(message.payload(), "retractedMessageId"));
    }
    for (Deadline deadline : rules.all()) {
      if (deadline.closes().equals(type)) {
        close(message, deadline, acceptedAt);
      }
    }
    // The case is read only for an owing party that depends on it (D2, D7): D1, on every
    // transfer, owes the police and needs no read on the accepting path.
    Supplier<CaseView> caseView = memoized(() -> cases.load(message.caseKey()));
    for (Deadline deadline : rules.all()) {
      if (!opens(deadline, message)) {
        continue;
      }
      Optional<String> owedBy = owedBy(deadline, message, caseView);
      Optional<Instant> dueAt = dueAt(deadline, message, acceptedAt);
      if (owedBy.isEmpty() || dueAt.isEmpty()) {
        continue;
      }
      jdbc.update(
          "INSERT INTO case_deadline (deadline_id, case_key, case_number, opened_by, owed_by, act,"
              + " is_window, opened_at, due_at, state, source)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          deadline.id(),
          message.caseKey(),
          message.caseNumber(),
          message.messageId(),
          owedBy.get(),
          deadline.act(),
          deadline.window(),
          Timestamp.from(acceptedAt),
          Timestamp.from(dueAt.get()),
          OPEN,
          deadline.source());
      audit.record(
          new AuditTrail.Entry(
              AuditTrail.Kind.DEADLINE_OPENED,
              message.sender(),
              message.messageId(),
              message.caseNumber(),
              owedBy.get(),
              "deadlineId=" + deadline.id() + " dueAt=" + dueAt.get()));
    }
  }

  /** DEADLINE_OVERDUE in the audit chain, in the overdue watch's transaction. */
  void recordOverdue(DeadlineView deadline, String noticeMessageId) {
    audit.record(
        new AuditTrail.Entry(
            AuditTrail.Kind.DEADLINE_OVERDUE,
            AuditTrail.HUB,
            noticeMessageId,
            deadline.caseNumber(),
            deadline.owedBy(),
            "deadlineId=" + deadline.id() + " dueAt=" + deadline.dueAt()));
  }

  /** Whether the case has an open deadline of this id that is not yet due (the D2 window). */
  public boolean isOpen(String caseKey, String deadlineId, Instant now) {
    Integer open =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM case_deadline WHERE case_key = ? AND deadline_id = ?"
                + " AND state = 'OPEN' AND due_at >= ?",
            Integer.class,
            caseKey,
            deadlineId,
            Timestamp.from(now));
    return open != null && open > 0;
  }

  public Optional<DeadlineView> find(long row) {
    return jdbc
        .query("SELECT " + COLUMNS + " FROM case_deadline WHERE id = ?", DeadlineBook::view, row)
        .stream()
        .findFirst();
  }

  /** The case's deadlines in opening order; cancelled ones are left out. */
  public List<DeadlineView> ofCase(String caseKey) {
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM case_deadline WHERE case_key = ? AND state <> 'CANCELLED' ORDER BY id",
        DeadlineBook::view,
        caseKey);
  }

  /** A page of deadlines, filtered by any of owing agency, state and deadline id. */
  /** A page of deadlines, soonest due first, after {@code after} or at an offset. */
  public List<DeadlineView> find(
      String owedBy, String state, String deadlineId, Cursor after, int page, int size) {
    Filter filter = new Filter(owedBy, state, deadlineId);
    List<Object> args = new ArrayList<>(filter.args);
    String where = filter.where;
    if (after != null) {
      where += " AND due_at >= ? AND (due_at > ? OR id > ?)";
      args.add(Timestamp.from(after.at()));
      args.add(Timestamp.from(after.at()));
      args.add(after.id());
    }
    args.add(size);
    args.add((long) page * size);
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM case_deadline"
            + where
            + " ORDER BY due_at, id LIMIT ? OFFSET ?",
        DeadlineBook::view,
        args.toArray());
  }

  public long count(String owedBy, String state, String deadlineId) {
    Filter filter = new Filter(owedBy, state, deadlineId);
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM case_deadline" + filter.where, Long.class, filter.args.toArray());
    return count == null ? 0 : count;
  }

  /** The states a filter may name. */
  public static boolean isState(String state) {
    return List.of(OPEN, CLOSED_ON_TIME, CLOSED_LATE, OVERDUE, LAPSED, CLOSED).contains(state);
  }

  private static final class Filter {
    final String where;
    final List<Object> args = new ArrayList<>();

    Filter(String owedBy, String state, String deadlineId) {
      List<String> terms = new ArrayList<>();
      terms.add("state <> 'CANCELLED'");
      if (owedBy != null) {
        terms.add("owed_by = ?");
        args.add(owedBy);
      }
      if (CLOSED.equals(state)) {
        terms.add("state IN ('CLOSED_ON_TIME', 'CLOSED_LATE')");
      } else if (state != null) {
        terms.add("state = ?");
        args.add(state);
      }
      if (deadlineId != null) {
        terms.add("deadline_id = ?");
        args.add(deadlineId);
      }
      where = " WHERE " + String.join(" AND ", terms);
    }
  }

  private void close(Submission message, Deadline deadline, Instant acceptedAt) {
    List<Long> open =
        jdbc.queryForList(
            "SELECT id FROM case_deadline WHERE case_key = ? AND deadline_id = ? AND owed_by = ?"
                + " AND state IN ('OPEN', 'OVERDUE') ORDER BY id",
            Long.class,
            message.caseKey(),
            deadline.id(),
            message.sender());
    if (open.isEmpty()) {
      return;
    }
    jdbc.update(
        "UPDATE case_deadline SET closed_at = ?, closed_by = ?,"
            + " state = CASE WHEN state = 'OVERDUE' OR due_at < ? THEN 'CLOSED_LATE'"
            + " ELSE 'CLOSED_ON_TIME' END WHERE id = ?",
        Timestamp.from(acceptedAt),
        message.messageId(),
        Timestamp.from(acceptedAt),
        open.get(0));
    audit.record(
        new AuditTrail.Entry(
            AuditTrail.Kind.DEADLINE_CLOSED,
            message.sender(),
            message.messageId(),
            message.caseNumber(),
            message.sender(),
            "deadlineId=" + deadline.id() + " row=" + open.get(0)));
  }

  private void retract(String retractedMessageId) {
    if (retractedMessageId == null) {
      return;
    }
    jdbc.update(
        "UPDATE case_deadline SET state = 'CANCELLED' WHERE opened_by = ?"
            + " AND state IN ('OPEN', 'OVERDUE', 'LAPSED')",
        retractedMessageId);
    // The act the retracted message performed is undone: its deadline is owed again.
    jdbc.update(
        "UPDATE case_deadline SET closed_at = NULL, closed_by = NULL,"
            + " state = CASE WHEN overdue_notice IS NULL THEN 'OPEN' ELSE 'OVERDUE' END"
            + " WHERE closed_by = ?",
        retractedMessageId);
  }

  private static boolean opens(Deadline deadline, Submission message) {
    return deadline.opens().type().equals(message.type().name())
        && (deadline.opens().decision() == null
            || deadline.opens().decision().equals(text(message.payload(), "decision")));
  }

  private static Supplier<CaseView> memoized(Supplier<CaseView> load) {
    CaseView[] loaded = new CaseView[1];
    return () -> {
      if (loaded[0] == null) {
        loaded[0] = load.get();
      }
      return loaded[0];
    };
  }

  private static Optional<String> owedBy(
      Deadline deadline, Submission message, Supplier<CaseView> caseView) {
    String owedBy = deadline.owedBy();
    return switch (owedBy) {
      case "$transferring-agency" -> caseView.get().transferringAgency();
      case "$addressee" -> Optional.ofNullable(text(message.payload(), "addressee"));
      case "$requester" ->
          caseView.get().latestOfType("RECONSIDERATION_REQUEST").map(CaseMessage::sender);
      case "$police" -> Optional.of("police");
      default -> Optional.of(owedBy);
    };
  }

  private Optional<Instant> dueAt(Deadline deadline, Submission message, Instant acceptedAt) {
    if (deadline.dueDateField() != null) {
      String date = text(message.payload(), deadline.dueDateField());
      try {
        return date == null
            ? Optional.empty()
            : Optional.of(settings.calendar().dueAtEndOf(LocalDate.parse(date)));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    String key =
        deadline.urgentDuration() != null && message.payload().path("urgent").asBoolean(false)
            ? deadline.urgentDuration()
            : deadline.id();
    return settings.length(key).map(length -> settings.calendar().dueAt(acceptedAt, length));
  }

  private static DeadlineView view(ResultSet rs, int row) throws SQLException {
    return new DeadlineView(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getBoolean(6),
        instant(rs.getTimestamp(7)),
        instant(rs.getTimestamp(8)),
        instant(rs.getTimestamp(9)),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12),
        rs.getString(13),
        rs.getString(14));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static String text(JsonNode payload, String field) {
    JsonNode value = payload == null ? null : payload.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
