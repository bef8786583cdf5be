package cn.gov.honghu.hub.dedup;

import cn.gov.honghu.hub.crypto.CanonicalJson;
import cn.gov.honghu.hub.message.Receipt;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import cn.gov.honghu.hub.web.ProblemException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deduplication of HUB-SPEC section 6, backed by the database's unique constraints.
 *
 * <p>Important: the lookups here are an optimisation, not the guarantee. Two identical posts may
 * both pass them at once; the accepting transaction then hits the primary key of {@code
 * message_key} or the unique business key of {@code hub_message}, and the loser calls {@link
 * #check} again, which now finds the winner. So dedup holds under concurrency, across restarts and
 * across instances sharing the database.
 */
public final class Deduplicator {

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final EventLog events;
  private final Clock clock;

  private record KnownId(String originalId, String contentSha256, String sender) {}

  public Deduplicator(JdbcTemplate jdbc, JsonMapper json, EventLog events, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.events = events;
    this.clock = clock;
  }

  /** Computes the fingerprints of a message; call once, before {@link #check}. */
  public void fingerprint(Submission message) {
    String content = CanonicalJson.sha256(message.envelope());
    String payload = CanonicalJson.sha256(message.payload());
    String business =
        CanonicalJson.sha256(
            json.createObjectNode()
                .put("sender", message.sender())
                .put("type", message.type().name())
                .put("caseKey", message.caseKey())
                .put("payload", payload));
    message.fingerprints(content, business);
  }

  /**
   * Answers a duplicate (200 with the original receipt) or refuses a conflicting reuse of a
   * messageId (409); leaves a new message unanswered.
   */
  public void check(Submission message) {
    Optional<KnownId> known = findId(message.messageId());
    if (known.isPresent()) {
      KnownId id = known.get();
      if (!id.sender().equals(message.sender())) {
        throw conflict(message.messageId(), null, "messageId belongs to another sender's message");
      }
      Receipt original = receipt(id.originalId());
      if (!id.contentSha256().equals(message.contentSha256())) {
        throw conflict(
            message.messageId(),
            original.receiptId(),
            "messageId was already accepted with different content");
      }
      answerDuplicate(message, original);
      return;
    }
    List<String> businessTwin =
        jdbc.queryForList(
            "SELECT message_id FROM hub_message WHERE business_key_sha256 = ?",
            String.class,
            message.businessKeySha256());
    if (!businessTwin.isEmpty()) {
      String originalId = businessTwin.get(0);
      try {
        jdbc.update(
            "INSERT INTO message_key (message_id, original_id, content_sha256, sender, created_at)"
                + " VALUES (?, ?, ?, ?, ?)",
            message.messageId(),
            originalId,
            message.contentSha256(),
            message.sender(),
            Timestamp.from(clock.instant()));
      } catch (DuplicateKeyException raced) {
        check(message); // the same messageId was registered meanwhile: answer as for it
        return;
      }
      answerDuplicate(message, receipt(originalId));
    }
  }

  private void answerDuplicate(Submission message, Receipt original) {
    message.answer(200, original.asDuplicateOf(original.messageId()));
    events.append(
        new Event(
            Kind.DUPLICATE,
            message.sender(),
            message.messageId(),
            null,
            200,
            json.createObjectNode().put("duplicateOf", original.messageId()).toString()));
  }

  private Optional<KnownId> findId(String messageId) {
    return jdbc
        .query(
            "SELECT original_id, content_sha256, sender FROM message_key WHERE message_id = ?",
            (rs, i) -> new KnownId(rs.getString(1), rs.getString(2), rs.getString(3)),
            messageId)
        .stream()
        .findFirst();
  }

  private Receipt receipt(String originalId) {
    String text =
        jdbc.queryForObject(
            "SELECT receipt FROM hub_message WHERE message_id = ?", String.class, originalId);
    return json.readValue(text, Receipt.class);
  }

  private static ProblemException conflict(String messageId, String receiptId, String detail) {
    ProblemException problem =
        new ProblemException(409, "message-id-conflict", "messageId conflict", detail)
            .with("messageId", messageId);
    if (receiptId != null) {
      problem.with("receiptId", receiptId);
    }
    return problem;
  }
}
