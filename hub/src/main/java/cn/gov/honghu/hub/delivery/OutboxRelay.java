package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.connectors.jms.AgencyQueueSecurity;
import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Moves push deliveries from the database outbox to the broker: one queue per agency, {@code
 * hub.delivery.<agency>}, alerts at JMS priority 9 ahead of case messages at 4. Only agencies in
 * {@code jms} mode have outbox rows: their queue is their delivery (state DELIVERED once
 * published). Webhook agencies are pushed from the delivery table by the webhook dispatcher.
 *
 * <p>Important: at least once, never lost, never doubled. The outbox rows are written in the
 * accepting transaction, so nothing is lost between the 202 and the broker. A batch is sent in one
 * broker transaction and its rows are deleted afterwards in the database transaction that locked
 * them ({@code FOR UPDATE SKIP LOCKED}, so hub instances sharing the database take different rows).
 * A crash after the broker commit and before the database commit sends the batch again; every
 * message carries its deliveryId as Artemis' duplicate id ({@code _AMQ_DUPL_ID}), whose cache is
 * persisted in the journal, so the broker drops the second copy. A replayed delivery (the failed
 * store puts an outbox row back) is published under a duplicate id of its own ({@link
 * #duplicateId}), with the same deliveryId.
 */
public final class OutboxRelay {

  public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

  /**
   * Which publication of the delivery a message is: 0 for the first, then the delivery's {@code
   * budget_from} after each replay (the attempts made before it, so it grows with every replay). It
   * makes a replay's duplicate id distinct, and tells a stale dead letter from a current one.
   */
  public static final String PUBLICATION = "publication";

  static final int ALERT_PRIORITY = 9;
  static final int CASE_PRIORITY = 4;

  /** A test-only crash point between the broker commit and the database commit. */
  public interface FaultHook {
    void afterPublish();

    FaultHook NONE = () -> {};
  }

  private record Pending(
      long outboxId, String recipient, Inbox.Item item, int priority, int publication) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final ConnectionFactory broker;
  private final EventLog events;
  private final org.springframework.jdbc.core.RowMapper<Inbox.Item> items;
  private final JsonMapper json;
  private final int batchSize;
  private final long batchBytes;
  private final Set<String> queueConsumers;
  private final Clock clock;
  private final FaultHook faultHook;

  public OutboxRelay(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      ConnectionFactory broker,
      EventLog events,
      EnvelopeCipher cipher,
      JsonMapper json,
      int batchSize,
      long batchBytes,
      Set<String> queueConsumers,
      Clock clock,
      FaultHook faultHook) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.broker = broker;
    this.events = events;
    this.items = Inbox.items(cipher);
    this.json = json;
    this.batchSize = batchSize;
    this.batchBytes = batchBytes;
    this.queueConsumers = Set.copyOf(queueConsumers);
    this.clock = clock;
    this.faultHook = faultHook;
  }

  /** Relays batches until the outbox is empty; returns how many deliveries were published. */
  public int drain() {
    int total = 0;
    int moved;
    do {
      moved = relayBatch();
      total += moved;
    } while (moved > 0);
    return total;
  }

  /** Relays one batch; returns its size. A broker failure rolls back and leaves the rows. */
  public int relayBatch() {
    Integer moved =
        transaction.execute(
            status -> {
              List<Long> ids =
                  jdbc.queryForList(
                      "SELECT id FROM outbox ORDER BY priority DESC, id LIMIT ?"
                          + " FOR UPDATE SKIP LOCKED",
                      Long.class,
                      batchSize);
              if (ids.isEmpty()) {
                return 0;
              }
              List<Pending> batch =
                  ByteBudget.take(
                      ids,
                      batchBytes,
                      this::load,
                      p -> ByteBudget.utf8Bytes(p.item().receipt(), p.item().message()));
              publish(batch);
              faultHook.afterPublish();
              jdbc.batchUpdate(
                  "DELETE FROM outbox WHERE id = ?",
                  batch.stream().map(p -> new Object[] {p.outboxId()}).toList());
              // For an agency that consumes its queue itself, the queue is the delivery.
              Timestamp now = Timestamp.from(clock.instant());
              List<Object[]> pushed =
                  batch.stream()
                      .filter(p -> queueConsumers.contains(p.recipient()))
                      .map(p -> new Object[] {now, p.item().deliveryId()})
                      .toList();
              if (!pushed.isEmpty()) {
                jdbc.batchUpdate(
                    "UPDATE delivery SET state = 'DELIVERED', attempts = attempts + 1,"
                        + " delivered_at = ? WHERE delivery_id = ? AND state = 'QUEUED'",
                    pushed);
              }
              List<Event> log = new ArrayList<>();
              for (Pending pending : batch) {
                log.add(
                    new Event(
                        Kind.PUBLISHED,
                        pending.recipient(),
                        pending.item().messageId(),
                        pending.item().deliveryId(),
                        null,
                        json.createObjectNode()
                            .put("queue", AgencyQueueSecurity.queue(pending.recipient()))
                            .toString()));
              }
              events.append(log);
              return batch.size();
            });
    return moved == null ? 0 : moved;
  }

  /** The batch's deliveries in one query, in relay order (alerts first, then oldest). */
  private List<Pending> load(List<Long> outboxIds) {
    String placeholders = String.join(",", java.util.Collections.nCopies(outboxIds.size(), "?"));
    return jdbc.query(
        "SELECT "
            + Inbox.ITEM_COLUMNS
            + ", o.id, d.recipient, d.priority, d.budget_from FROM outbox o"
            + " JOIN delivery d ON d.delivery_id = o.delivery_id"
            + " JOIN hub_message m ON m.message_id = d.message_id"
            + " WHERE o.id IN ("
            + placeholders
            + ") ORDER BY o.priority DESC, o.id",
        (rs, i) ->
            new Pending(
                rs.getLong(11),
                rs.getString(12),
                items.mapRow(rs, i),
                rs.getInt(13) > 0 ? ALERT_PRIORITY : CASE_PRIORITY,
                rs.getInt(14)),
        outboxIds.toArray());
  }

  /**
   * Sends the batch in one broker transaction: one journal sync for the whole batch. A batch sent
   * again after a crash holds duplicates, and Artemis rolls back a transaction that contains one;
   * such a batch is then sent message by message outside a transaction, where the broker drops each
   * duplicate silently. That happens only after a crash, so its cost does not matter.
   */
  private void publish(List<Pending> batch) {
    try (Connection connection = broker.createConnection()) {
      try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
        send(session, batch);
        session.commit();
        return;
      } catch (JMSException rolledBack) {
        // A duplicate marks the transaction rollback-only; the client reports that as a
        // TransactionRolledBackException or a plain JMSException, depending on the moment. If
        // the broker is really gone, the one-by-one sends below fail too.
      }
      try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
        send(session, batch);
      }
    } catch (JMSException e) {
      throw new BrokerUnavailableException(e);
    }
  }

  private void send(Session session, List<Pending> batch) throws JMSException {
    Map<String, MessageProducer> producers = new HashMap<>();
    for (Pending pending : batch) {
      MessageProducer producer = producers.get(pending.recipient());
      if (producer == null) {
        producer =
            session.createProducer(
                session.createQueue(AgencyQueueSecurity.queue(pending.recipient())));
        producers.put(pending.recipient(), producer);
      }
      TextMessage message = session.createTextMessage(json.writeValueAsString(pending.item()));
      message.setStringProperty(
          DUPLICATE_ID, duplicateId(pending.item().deliveryId(), pending.publication()));
      message.setStringProperty("deliveryId", pending.item().deliveryId());
      message.setIntProperty(PUBLICATION, pending.publication());
      message.setStringProperty("messageId", pending.item().messageId());
      message.setStringProperty("type", pending.item().type());
      producer.send(message, DeliveryMode.PERSISTENT, pending.priority(), 0);
    }
  }

  /**
   * The broker's duplicate id of one publication of a delivery: the deliveryId for the first, and
   * {@code deliveryId:publication} for a replay, or the broker would drop the replay as a duplicate
   * of the first. Stable for one publication, so a resend after a crash is still dropped.
   */
  static String duplicateId(String deliveryId, int publication) {
    return publication == 0 ? deliveryId : deliveryId + ":" + publication;
  }

  /** The broker did not take the batch; the outbox rows stay for the next run. */
  public static final class BrokerUnavailableException extends RuntimeException {
    BrokerUnavailableException(Throwable cause) {
      super("broker unavailable: " + cause.getClass().getSimpleName(), cause);
    }
  }
}
