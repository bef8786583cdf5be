package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.metrics.DeliveryMetrics;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The pull inbox (HUB-SPEC section 4): an agency's unacknowledged deliveries, priority alerts
 * first, then oldest first. A pulled delivery stays until acknowledged and is handed out again on
 * the next pull ({@code attempt} counts the hand-outs); an acknowledged one never reappears.
 */
public final class Inbox {

  /** One inbox item; {@code receipt} and {@code message} are the stored JSON, as accepted. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      String deliveryId,
      String messageId,
      String type,
      String caseNumber,
      Integer sequence,
      String incidentId,
      Boolean update,
      int attempt,
      @JsonRawValue String receipt,
      @JsonRawValue String message) {}

  /** The answer to a batch acknowledgement. */
  public record BatchAck(List<String> acknowledged, List<String> unknown) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final EventLog events;
  private final Clock clock;
  private final DeliveryMetrics metrics;
  private final long maxPullBytes;
  private final RowMapper<Item> items;

  /** {@code maxPullBytes}: a pull stops at this many bytes of items (at least one item). */
  public Inbox(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      EventLog events,
      EnvelopeCipher cipher,
      Clock clock,
      DeliveryMetrics metrics,
      long maxPullBytes) {
    this.items = items(cipher);
    this.maxPullBytes = maxPullBytes;
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.events = events;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The columns of an {@link Item} (read by {@link #items}), from delivery d and hub_message m. */
  static final String ITEM_COLUMNS =
      "d.delivery_id, d.message_id, m.type, m.case_number, d.sequence, d.incident_id,"
          + " d.is_update, d.attempts, m.receipt, m.envelope";

  static final String ITEM_SELECT =
      "SELECT "
          + ITEM_COLUMNS
          + " FROM delivery d JOIN hub_message m ON m.message_id = d.message_id";

  /**
   * A delivery as an agency receives it, pulled or pushed; {@code attempt} is this hand-out. The
   * envelope is opened here, on its way to a recipient of the message (HUB-SPEC section 11).
   */
  static RowMapper<Item> items(EnvelopeCipher cipher) {
    return (rs, i) -> {
      String incident = rs.getString(6);
      String messageId = rs.getString(2);
      return new Item(
          rs.getString(1),
          messageId,
          rs.getString(3),
          rs.getString(4),
          (Integer) rs.getObject(5),
          incident,
          incident == null ? null : rs.getBoolean(7),
          rs.getInt(8) + 1,
          rs.getString(9),
          cipher.open(messageId, rs.getString(10)));
    };
  }

  /**
   * The ids of the first {@code limit} waiting deliveries, alerts first, then oldest first.
   *
   * <p>Important: {@code state IN (...) ORDER BY priority DESC, id} cannot be read in order from
   * {@code delivery_inbox (recipient, state, priority, id)}: the database collects and sorts every
   * waiting delivery of the recipient (on H2 even every finished one) for each pull. Each branch
   * here is one (state, priority) range of that index, read in index order and cut at {@code limit}
   * (the {@code ORDER BY} names every column of the index, or H2 sorts instead); the outer sort
   * sees at most four times {@code limit} ids, however long the backlog or the history. Priorities
   * are 1 (alerts) and 0 only (store/MessageStore).
   */
  static final String WAITING_IDS =
      String.join(
              " UNION ALL ",
              Collections.nCopies(
                  4,
                  "(SELECT d.id, d.priority FROM delivery d WHERE d.recipient = ? AND d.state = ?"
                      + " AND d.priority = ? ORDER BY d.recipient, d.state, d.priority, d.id"
                      + " LIMIT ?)"))
          + " ORDER BY priority DESC, id LIMIT ?";

  private static Object[] waitingArgs(String recipient, int limit) {
    List<Object> args = new ArrayList<>();
    for (int priority : new int[] {1, 0}) {
      for (String state : new String[] {"QUEUED", "DELIVERED"}) {
        args.addAll(List.of(recipient, state, priority, limit));
      }
    }
    args.add(limit);
    return args.toArray();
  }

  public List<Item> pull(String recipient, int limit) {
    List<Item> pulled = pullCommitted(recipient, limit);
    metrics.pulled(recipient, pulled.size());
    return pulled;
  }

  private List<Item> pullCommitted(String recipient, int limit) {
    return transaction.execute(
        status -> {
          // Ids first, then the items: the page is chosen on narrow index entries, and only the
          // chosen rows are read with their 2 KB envelopes.
          List<Long> ids =
              jdbc.query(WAITING_IDS, (rs, i) -> rs.getLong(1), waitingArgs(recipient, limit));
          if (ids.isEmpty()) {
            return List.<Item>of();
          }
          List<Item> page =
              ByteBudget.take(
                  ids,
                  maxPullBytes,
                  chunk ->
                      jdbc.query(
                          ITEM_SELECT
                              + " WHERE d.id IN ("
                              + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                              + ") ORDER BY d.priority DESC, d.id",
                          items,
                          chunk.toArray()),
                  item -> ByteBudget.utf8Bytes(item.receipt(), item.message()));
          Timestamp now = Timestamp.from(clock.instant());
          List<Object[]> handedOut = new ArrayList<>();
          List<Event> log = new ArrayList<>();
          for (Item item : page) {
            handedOut.add(new Object[] {now, item.deliveryId()});
            log.add(
                new Event(
                    Kind.DELIVERED,
                    recipient,
                    item.messageId(),
                    item.deliveryId(),
                    null,
                    JsonNodeFactory.instance
                        .objectNode()
                        .put("mode", "pull")
                        .put("attempt", item.attempt())
                        .toString()));
          }
          jdbc.batchUpdate(
              "UPDATE delivery SET state = 'DELIVERED', attempts = attempts + 1,"
                  + " delivered_at = ? WHERE delivery_id = ? AND state IN ('QUEUED', 'DELIVERED')",
              handedOut);
          events.append(log);
          return page;
        });
  }

  /** Acknowledges one delivery; false when it is not the recipient's. Idempotent. */
  public boolean acknowledge(String recipient, String deliveryId) {
    return !acknowledge(recipient, List.of(deliveryId)).acknowledged().isEmpty();
  }

  public BatchAck acknowledge(String recipient, Collection<String> deliveryIds) {
    List<Event> firstAcknowledgements = new ArrayList<>();
    BatchAck answer = acknowledgeCommitted(recipient, deliveryIds, firstAcknowledgements);
    metrics.acknowledged(recipient, firstAcknowledgements.size());
    return answer;
  }

  /** Acknowledges in one transaction; {@code log} gets an event per first acknowledgement. */
  private BatchAck acknowledgeCommitted(
      String recipient, Collection<String> deliveryIds, List<Event> log) {
    Set<String> ids = new LinkedHashSet<>(deliveryIds);
    return transaction.execute(
        status -> {
          Timestamp now = Timestamp.from(clock.instant());
          if (ids.isEmpty()) {
            return new BatchAck(List.of(), List.of());
          }
          // Set-based: one read and one write for the whole batch (up to 500 ids).
          String in = String.join(",", Collections.nCopies(ids.size(), "?"));
          List<Object> args = new ArrayList<>(ids);
          args.add(recipient);
          Map<String, String[]> found = new HashMap<>();
          jdbc.query(
              "SELECT delivery_id, message_id, state FROM delivery WHERE delivery_id IN ("
                  + in
                  + ") AND recipient = ? FOR UPDATE",
              rs -> {
                found.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
              },
              args.toArray());
          List<String> acknowledged = new ArrayList<>();
          List<String> unknown = new ArrayList<>();
          List<Object> open = new ArrayList<>();
          open.add(now);
          for (String id : ids) {
            String[] row = found.get(id);
            if (row == null) {
              unknown.add(id);
              continue;
            }
            acknowledged.add(id);
            if (!"ACKNOWLEDGED".equals(row[1])) {
              open.add(id);
              log.add(new Event(Kind.ACKNOWLEDGED, recipient, row[0], id, null, null));
            }
          }
          if (open.size() > 1) {
            jdbc.update(
                "UPDATE delivery SET state = 'ACKNOWLEDGED', acked_at = ? WHERE delivery_id IN ("
                    + String.join(",", Collections.nCopies(open.size() - 1, "?"))
                    + ") AND state <> 'ACKNOWLEDGED'",
                open.toArray());
          }
          if (!log.isEmpty()) {
            events.append(log);
          }
          return new BatchAck(acknowledged, unknown);
        });
  }
}
