package cn.gov.honghu.hub.store;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Running totals that the admin statistics read instead of counting the history (issue 15):
 * messages accepted per sender and type, deliveries routed per recipient, refusals per agency. Each
 * is written in the transaction of the change it counts, so it is exactly as durable as the rows,
 * survives restarts, and keeps counting after retention has purged the rows themselves.
 *
 * <p>Important: a single row per total would be a hot row that every accepting transaction of a
 * sender updates and keeps locked until its commit, serialising them. Each total is spread over
 * {@link #SHARDS} rows, one picked at random per update, and summed when read (a few rows per
 * total, however long the history).
 */
public final class StatCounters {

  /** Messages accepted from an agency (item: the type); hub-generated messages are not counted. */
  public static final String ACCEPTED = "accepted";

  /** Deliveries created for a recipient, whatever became of them (item: empty). */
  public static final String ROUTED = "routed";

  /** Posts refused at ingest (item: empty). */
  public static final String REJECTED = "rejected";

  /**
   * Deliveries an admin discarded (item: empty): counted, because retention purges the discarded
   * rows and "delivered" is routed minus what never arrived.
   */
  public static final String DISCARDED = "discarded";

  static final int SHARDS = 8;

  private final JdbcTemplate jdbc;

  public StatCounters(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** One total: an agency's metric for one item ("" when the metric has none). */
  record Total(String agency, String metric, String item) implements Comparable<Total> {

    private static final Comparator<Total> ORDER =
        Comparator.comparing(Total::agency).thenComparing(Total::metric).thenComparing(Total::item);

    @Override
    public int compareTo(Total other) {
      return ORDER.compare(this, other);
    }
  }

  /**
   * Adds one to each total in the caller's transaction. Important: in one order for every
   * transaction (sorted), so that two transactions counting the same totals cannot each hold a row
   * the other waits for (a deadlock, which would fail an accepting transaction).
   */
  void increment(Collection<Total> totals) {
    for (Total total : new TreeSet<>(totals)) {
      add(total.agency(), total.metric(), total.item(), 1);
    }
  }

  /** Adds one to an agency's total of a metric without items, in the caller's transaction. */
  public void countOne(String agency, String metric) {
    add(agency, metric, "", 1);
  }

  /** Adds to a total in the caller's transaction. */
  void add(String agency, String metric, String item, long delta) {
    int shard = ThreadLocalRandom.current().nextInt(SHARDS);
    String update =
        "UPDATE stat_counter SET n = n + ? WHERE agency = ? AND metric = ? AND item = ?"
            + " AND shard = ?";
    if (jdbc.update(update, delta, agency, metric, item, shard) == 0) {
      // First use of this shard: create it. DO NOTHING, not an error, when a concurrent
      // transaction created it first (an error would abort the caller's transaction on
      // PostgreSQL); the update then waits for that row.
      jdbc.update(
          "INSERT INTO stat_counter (agency, metric, item, shard, n) VALUES (?, ?, ?, ?, 0)"
              + " ON CONFLICT DO NOTHING",
          agency,
          metric,
          item,
          shard);
      jdbc.update(update, delta, agency, metric, item, shard);
    }
  }

  /** Adds each agency's count to a total in the caller's transaction, in sorted order. */
  void addAll(Map<String, Long> byAgency, String metric) {
    new TreeMap<>(byAgency).forEach((agency, delta) -> add(agency, metric, "", delta));
  }

  /** The totals of a metric: agency, then item, then the total. */
  public Map<String, Map<String, Long>> read(String metric) {
    Map<String, Map<String, Long>> totals = new TreeMap<>();
    jdbc.query(
        "SELECT agency, item, SUM(n) FROM stat_counter WHERE metric = ? GROUP BY agency, item",
        rs -> {
          totals
              .computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .put(rs.getString(2), rs.getLong(3));
        },
        metric);
    return totals;
  }

  /** The totals of a metric without items, per agency. */
  public Map<String, Long> readByAgency(String metric) {
    Map<String, Long> totals = new HashMap<>();
    read(metric)
        .forEach(
            (agency, items) ->
                totals.put(agency, items.values().stream().mapToLong(Long::longValue).sum()));
    return totals;
  }
}
