package cn.gov.honghu.hub.timeline;

import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.deadlines.DeadlineBook.DeadlineView;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a case's timeline (HUB-SPEC section 3): every accepted message of the case in acceptance
 * order with the rule ids, clauses and flags of its receipt, the hub's own events (an omission
 * remedied, a deadline closed late or lapsed), and the case's deadlines with their states.
 */
public final class CaseTimeline {

  /** One entry; members that do not apply are left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      OffsetDateTime at,
      String messageId,
      String type,
      String sender,
      List<String> recipients,
      List<String> ruleIds,
      List<String> clauses,
      List<String> flags,
      Boolean retracted,
      String deadlineId,
      String lateBy,
      String remediedBy) {}

  /** One deadline of the case. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Deadline(
      String id,
      String owedBy,
      String act,
      OffsetDateTime openedAt,
      OffsetDateTime dueAt,
      OffsetDateTime closedAt,
      String state,
      String lateBy,
      String source) {}

  public record Timeline(
      String caseNumber, String openedBy, List<Entry> entries, List<Deadline> deadlines) {}

  private record Timed(Instant at, long order, Entry entry) {}

  private final JdbcTemplate jdbc;
  private final DeadlineBook deadlines;
  private final JsonMapper json;
  private final ZoneId zone;

  public CaseTimeline(JdbcTemplate jdbc, DeadlineBook deadlines, JsonMapper json, ZoneId zone) {
    this.jdbc = jdbc;
    this.deadlines = deadlines;
    this.json = json;
    this.zone = zone;
  }

  /** The case's timeline; empty when the case does not exist. */
  public Optional<Timeline> of(String caseKey) {
    List<String[]> opened =
        jdbc.query(
            "SELECT case_number, opened_by FROM case_file WHERE case_key = ?",
            (rs, i) -> new String[] {rs.getString(1), rs.getString(2)},
            caseKey);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    List<Timed> timed = new ArrayList<>();
    jdbc.query(
        "SELECT accepted_at, accept_seq, message_id, type, sender, receipt, retracted_by"
            + " FROM hub_message WHERE case_key = ? ORDER BY accept_seq",
        rs -> {
          JsonNode receipt = json.readTree(rs.getString(6));
          Instant at = rs.getTimestamp(1).toInstant();
          timed.add(
              new Timed(
                  at,
                  rs.getLong(2),
                  new Entry(
                      at(at),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5),
                      texts(receipt.get("recipients")),
                      texts(receipt.get("ruleIds")),
                      texts(receipt.get("clauses")),
                      texts(receipt.get("flags")),
                      rs.getString(7) != null,
                      null,
                      null,
                      null)));
        },
        caseKey);
    jdbc.query(
        "SELECT e.at, e.id, e.message_id, e.detail FROM hub_event e"
            + " JOIN hub_message m ON m.message_id = e.message_id"
            + " WHERE m.case_key = ? AND e.kind = 'OMISSION_REMEDIED' ORDER BY e.id",
        rs -> {
          Instant at = rs.getTimestamp(1).toInstant();
          timed.add(
              new Timed(
                  at,
                  Long.MAX_VALUE - 1,
                  new Entry(
                      at(at),
                      rs.getString(3),
                      "TRANSFER_OMISSION_REMEDIED",
                      "hub",
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      json.readTree(rs.getString(4)).path("remediedBy").asString(null))));
        },
        caseKey);
    List<Deadline> caseDeadlines = new ArrayList<>();
    for (DeadlineView d : deadlines.ofCase(caseKey)) {
      String lateBy = lateBy(d);
      caseDeadlines.add(
          new Deadline(
              d.id(),
              d.owedBy(),
              d.act(),
              at(d.openedAt()),
              at(d.dueAt()),
              at(d.closedAt()),
              d.state(),
              lateBy,
              d.source()));
      if (lateBy != null) {
        timed.add(event(d.closedAt(), "DEADLINE_CLOSED_LATE", d, lateBy));
      } else if (DeadlineBook.LAPSED.equals(d.state())) {
        timed.add(event(d.dueAt(), "DEADLINE_LAPSED", d, null));
      }
    }
    timed.sort(Comparator.comparing(Timed::at).thenComparingLong(Timed::order));
    return Optional.of(
        new Timeline(
            opened.get(0)[0],
            opened.get(0)[1],
            timed.stream().map(Timed::entry).toList(),
            caseDeadlines));
  }

  private Timed event(Instant at, String type, DeadlineView d, String lateBy) {
    return new Timed(
        at,
        Long.MAX_VALUE,
        new Entry(
            at(at), d.closedBy(), type, "hub", null, null, null, null, null, d.id(), lateBy, null));
  }

  /** How late a deadline was closed (ISO-8601), or null when it was not closed late. */
  private static String lateBy(DeadlineView d) {
    if (!DeadlineBook.CLOSED_LATE.equals(d.state()) || d.closedAt() == null) {
      return null;
    }
    return Duration.between(d.dueAt(), d.closedAt()).toString();
  }

  private OffsetDateTime at(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, zone);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(node -> texts.add(node.asString()));
    }
    return texts;
  }
}
