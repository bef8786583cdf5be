package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes the jms deliveries the broker dead-lettered into the failed store (HUB-SPEC section 9).
 * When a jms agency's consumer rolled a delivery back {@code max-delivery-attempts} times, the
 * broker moves it from {@code hub.delivery.<agency>} to {@code hub.dead-letter}; the hub consumes
 * that queue and marks the delivery FAILED, with the broker's reason, an attempt row ({@code
 * DEAD_LETTER}) and a FAILED event, so that admins see it, the failed gauge counts it and a replay
 * publishes it again.
 *
 * <p>Important: the listener runs in a transacted JMS session, and the database transaction commits
 * inside {@link #onMessage} before the session commits (the broker's acknowledgement). A crash
 * between the two redelivers the dead letter; the update is conditional (the delivery must still be
 * DELIVERED or QUEUED, and of the same publication, {@link OutboxRelay#PUBLICATION}), so a second
 * copy changes nothing, nor does a stale copy of a delivery replayed since. A database that cannot
 * answer rolls the session back and the broker hands the dead letter out again after its redelivery
 * delay (dead letters are never dead-lettered themselves). A message without {@code deliveryId} is
 * logged by its JMS id only, never its body (personal data), and dropped.
 */
public final class DeadLetters implements MessageListener {

  /** The outcome of the attempt row a dead letter records. */
  public static final String OUTCOME = "DEAD_LETTER";

  /** Set by Artemis on a dead letter: where the message was before. */
  static final String ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";

  static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private record Failed(String messageId, String agency, int attempts) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final EventLog events;
  private final JsonMapper json;
  private final Clock clock;
  private final int maxDeliveryAttempts;

  /**
   * {@code maxDeliveryAttempts}: the broker's setting, named in the reason (the dead letter itself
   * does not carry the count of its deliveries on the original queue).
   */
  public DeadLetters(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      EventLog events,
      JsonMapper json,
      Clock clock,
      int maxDeliveryAttempts) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.events = events;
    this.json = json;
    this.clock = clock;
    this.maxDeliveryAttempts = maxDeliveryAttempts;
  }

  @Override
  public void onMessage(Message message) {
    String deliveryId = text(message, "deliveryId");
    if (deliveryId == null || deliveryId.isBlank()) {
      // By id only: the body may hold personal data.
      log.warn("Dropped a dead letter without deliveryId: JMS message id {}", jmsId(message));
      return;
    }
    String queue = text(message, ORIGINAL_QUEUE);
    if (queue == null) {
      queue = text(message, ORIGINAL_ADDRESS);
    }
    boolean failed = record(deliveryId, publication(message), queue);
    log.info(
        "Dead letter of delivery {} from {}: {}",
        deliveryId,
        queue,
        failed ? "now in the failed store" : "already failed, replayed or finished; ignored");
  }

  /**
   * Moves a dead-lettered delivery to the failed store in one database transaction; false when it
   * was not DELIVERED or QUEUED (any more), or was published again since ({@code publication} not
   * null and not the delivery's current one).
   */
  public boolean record(String deliveryId, Integer publication, String queue) {
    String reason =
        "dead-lettered by the broker after "
            + maxDeliveryAttempts
            + " delivery attempts on queue "
            + (queue == null ? "(unknown)" : queue);
    String error = reason.length() <= 1000 ? reason : reason.substring(0, 1000);
    Boolean moved =
        transaction.execute(
            status -> {
              Timestamp now = Timestamp.from(clock.instant());
              List<Object> args = new ArrayList<>(List.of(now, error, deliveryId));
              String samePublication = "";
              if (publication != null) {
                samePublication = " AND budget_from = ?";
                args.add(publication);
              }
              int updated =
                  jdbc.update(
                      "UPDATE delivery SET state = 'FAILED', failed_at = ?, last_error = ?,"
                          + " next_attempt_at = NULL WHERE delivery_id = ?"
                          + " AND state IN ('DELIVERED', 'QUEUED')"
                          + samePublication,
                      args.toArray());
              if (updated != 1) {
                return false;
              }
              Failed failed =
                  jdbc.queryForObject(
                      "SELECT message_id, recipient, attempts FROM delivery WHERE delivery_id = ?",
                      (rs, i) -> new Failed(rs.getString(1), rs.getString(2), rs.getInt(3)),
                      deliveryId);
              jdbc.update(
                  "INSERT INTO delivery_attempt (delivery_id, attempt, at, outcome, error)"
                      + " VALUES (?, ?, ?, ?, ?)",
                  deliveryId,
                  failed.attempts(),
                  now,
                  OUTCOME,
                  error);
              events.append(
                  new Event(
                      Kind.FAILED,
                      failed.agency(),
                      failed.messageId(),
                      deliveryId,
                      null,
                      json.createObjectNode()
                          .put("outcome", OUTCOME)
                          .put("queue", queue)
                          .toString()));
              return true;
            });
    return Boolean.TRUE.equals(moved);
  }

  private static Integer publication(Message message) {
    try {
      return message.propertyExists(OutboxRelay.PUBLICATION)
          ? message.getIntProperty(OutboxRelay.PUBLICATION)
          : null;
    } catch (JMSException | RuntimeException unreadable) {
      return null;
    }
  }

  private static String text(Message message, String property) {
    try {
      return message.getStringProperty(property);
    } catch (JMSException | RuntimeException unreadable) {
      return null;
    }
  }

  private static String jmsId(Message message) {
    try {
      return message.getJMSMessageID();
    } catch (JMSException unreadable) {
      return "(unreadable)";
    }
  }
}
