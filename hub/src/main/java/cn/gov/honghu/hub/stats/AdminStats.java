package cn.gov.honghu.hub.stats;

import cn.gov.honghu.hub.metrics.DeliveryBacklog;
import cn.gov.honghu.hub.metrics.DeliveryBacklog.Backlog;
import cn.gov.honghu.hub.store.StatCounters;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The figures a rule-of-law inspection asks for, per agency (HUB-SPEC section 9): messages accepted
 * (per type) and refused, deliveries delivered and failed, cases transferred and how many the
 * police filed, deadlines gone overdue, and how many rectification notices were answered. Computed
 * from the store on request: the source of truth, not counters that a restart resets.
 *
 * <p>Nothing here counts the message or delivery history (issue 15): accepted and refused messages
 * and routed deliveries are running totals written with the rows they count ({@link StatCounters});
 * delivered is routed minus what has not (yet) reached the recipient: queued or failed, read by
 * index ranges of the few such rows per agency, and discarded, counted (retention purges those
 * rows). The case figures read the case and deadline tables by index.
 */
public final class AdminStats {

  private final JdbcTemplate jdbc;
  private final StatCounters counters;
  private final DeliveryBacklog backlog;
  private final Clock clock;

  public AdminStats(JdbcTemplate jdbc, DeliveryBacklog backlog, Clock clock) {
    this.jdbc = jdbc;
    this.counters = new StatCounters(jdbc);
    this.backlog = backlog;
    this.clock = clock;
  }

  /** One agency's figures; rates are null while their denominator is zero. */
  public record AgencyStats(
      String agency,
      long accepted,
      Map<String, Long> acceptedByType,
      long rejected,
      long delivered,
      long failed,
      long pending,
      double oldestPendingSeconds,
      boolean stalled,
      long transfers,
      long transfersFiled,
      Double filingRate,
      long filingDecisions,
      long overdue,
      long rectificationNotices,
      long rectified,
      Double rectificationRate) {}

  public record Stats(List<AgencyStats> agencies) {}

  public Stats compute(List<String> agencyCodes) {
    Map<String, Map<String, Long>> acceptedByType = counters.read(StatCounters.ACCEPTED);
    Map<String, Long> rejected = counters.readByAgency(StatCounters.REJECTED);
    Map<String, Long> routed = counters.readByAgency(StatCounters.ROUTED);
    Map<String, Long> notDelivered = notDelivered(agencyCodes);
    counters
        .readByAgency(StatCounters.DISCARDED)
        .forEach((agency, discarded) -> notDelivered.merge(agency, discarded, Long::sum));
    Map<String, Backlog> backlogs = backlog.byAgency();
    Map<String, Long> transfersFiled =
        counts(
            "SELECT t.sender, COUNT(DISTINCT t.case_key) FROM hub_message t"
                + " JOIN hub_message f ON f.case_key = t.case_key AND f.type = 'FILING_DECISION'"
                + " AND f.decision = 'FILED' AND f.retracted_by IS NULL"
                + " WHERE t.type = 'CASE_TRANSFER' AND t.retracted_by IS NULL GROUP BY t.sender");
    Map<String, Long> overdue =
        counts(
            "SELECT owed_by, COUNT(*) FROM case_deadline WHERE state IN ('OVERDUE', 'CLOSED_LATE')"
                + " GROUP BY owed_by");
    Map<String, Long> notices =
        counts(
            "SELECT owed_by, COUNT(*) FROM case_deadline WHERE deadline_id = 'D5'"
                + " AND state <> 'CANCELLED' GROUP BY owed_by");
    Map<String, Long> rectified =
        counts(
            "SELECT owed_by, COUNT(*) FROM case_deadline WHERE deadline_id = 'D5'"
                + " AND state IN ('CLOSED_ON_TIME', 'CLOSED_LATE') GROUP BY owed_by");
    List<AgencyStats> agencies =
        agencyCodes.stream()
            .map(
                code -> {
                  Map<String, Long> byType = acceptedByType.getOrDefault(code, Map.of());
                  long transfers = byType.getOrDefault("CASE_TRANSFER", 0L);
                  long filed = transfersFiled.getOrDefault(code, 0L);
                  long noticeCount = notices.getOrDefault(code, 0L);
                  long rectifiedCount = rectified.getOrDefault(code, 0L);
                  Backlog waiting = backlogs.getOrDefault(code, Backlog.NONE);
                  return new AgencyStats(
                      code,
                      byType.values().stream().mapToLong(Long::longValue).sum(),
                      new LinkedHashMap<>(byType),
                      rejected.getOrDefault(code, 0L),
                      routed.getOrDefault(code, 0L) - notDelivered.getOrDefault(code, 0L),
                      waiting.failed(),
                      waiting.pending(),
                      waiting.oldestAgeSeconds(clock.instant()),
                      backlog.isStalled(waiting),
                      transfers,
                      filed,
                      rate(filed, transfers),
                      byType.getOrDefault("FILING_DECISION", 0L),
                      overdue.getOrDefault(code, 0L),
                      noticeCount,
                      rectifiedCount,
                      rate(rectifiedCount, noticeCount));
                })
            .toList();
    return new Stats(agencies);
  }

  /** Deliveries not (yet) at the recipient: one range of delivery_inbox per agency and state. */
  private Map<String, Long> notDelivered(List<String> agencyCodes) {
    Map<String, Long> counts = new TreeMap<>();
    if (agencyCodes.isEmpty()) {
      return counts;
    }
    List<String> branches = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    for (String code : agencyCodes) {
      for (String state : List.of("QUEUED", "FAILED")) {
        branches.add(
            "SELECT recipient, COUNT(*) FROM delivery WHERE recipient = ? AND state = ?"
                + " GROUP BY recipient");
        args.add(code);
        args.add(state);
      }
    }
    jdbc.query(
        String.join(" UNION ALL ", branches),
        rs -> {
          counts.merge(rs.getString(1), rs.getLong(2), Long::sum);
        },
        args.toArray());
    return counts;
  }

  private Map<String, Long> counts(String sql) {
    Map<String, Long> counts = new TreeMap<>();
    jdbc.query(
        sql,
        rs -> {
          if (rs.getString(1) != null) {
            counts.put(rs.getString(1), rs.getLong(2));
          }
        });
    return counts;
  }

  private static Double rate(long part, long whole) {
    return whole == 0 ? null : (double) part / whole;
  }
}
