package cn.gov.honghu.hub.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit chain (HUB-SPEC section 11): one append-only, hash-chained log of what happened to
 * every message and who did what.
 *
 * <p>{@link #record} inside a transaction holds the entries until that transaction is about to
 * commit, then appends them in the same transaction: a 202 and its {@code ACCEPTED} entry commit
 * together, and a rollback leaves no entry. Outside a transaction it appends at once in a
 * transaction of its own. The append locks the chain's head row ({@code audit_head}), numbers and
 * hashes the entries after it and moves it: that lock is the one serialisation point, so every
 * instance on the same database appends to one chain in commit order, and it is held only from the
 * append to the commit.
 */
public final class AuditTrail {

  /** What an entry records. */
  public enum Kind {
    RECEIVED,
    REFUSED,
    ACCEPTED,
    ROUTED,
    DELIVERED,
    ACKNOWLEDGED,
    FAILED,
    REPLAYED,
    DISCARDED,
    APPROVAL_REQUESTED,
    APPROVED,
    REJECTED,
    DEADLINE_OPENED,
    DEADLINE_CLOSED,
    DEADLINE_OVERDUE,
    ALERT_ESCALATED,
    PERSONAL_DATA_READ,
    AUTH_FAILED,
    RULES_LOADED,
    RETENTION_RUN,
    /** A message already accepted came again (HUB-SPEC section 6). */
    DUPLICATE,
    /** A jms delivery handed to the broker by the outbox relay. */
    PUBLISHED,
    /** A CASE_TRANSFER remedied a 以罚代刑 omission alert. */
    OMISSION_REMEDIED
  }

  /**
   * One entry before it is chained. {@code actor}: who did it (an agency code, an admin's name,
   * {@code hub} for the hub's own duties); {@code agency}: the agency it concerns (the recipient of
   * a delivery, the owner of a deadline). {@code detail}: ids, codes and counts, never payload
   * content or a presented key.
   */
  public record Entry(
      Kind kind, String actor, String messageId, String caseNumber, String agency, String detail) {}

  /** The actor of what the hub does by itself (deadline watch, escalation, rules, retention). */
  public static final String HUB = "hub";

  static final int DETAIL_LIMIT = 2000;

  private static final String INSERT =
      "INSERT INTO audit_entry (seq, at, kind, actor, message_id, case_number, agency, detail,"
          + " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final ChainHash chainHash;
  private final Clock clock;

  public AuditTrail(
      JdbcTemplate jdbc, TransactionTemplate transaction, ChainHash chainHash, Clock clock) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.chainHash = chainHash;
    this.clock = clock;
  }

  public void record(Entry entry) {
    record(List.of(entry));
  }

  public void record(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    if (TransactionSynchronizationManager.isSynchronizationActive()
        && TransactionSynchronizationManager.isActualTransactionActive()) {
      pending().entries.addAll(entries);
    } else {
      transaction.executeWithoutResult(status -> append(entries));
    }
  }

  /**
   * This transaction's entries. Looked up among the transaction's synchronizations (not as a bound
   * resource), so that a nested REQUIRES_NEW transaction, which suspends them, gets its own.
   */
  private Pending pending() {
    for (TransactionSynchronization synchronization :
        TransactionSynchronizationManager.getSynchronizations()) {
      if (synchronization instanceof Pending pending && pending.owner() == this) {
        return pending;
      }
    }
    Pending pending = new Pending();
    TransactionSynchronizationManager.registerSynchronization(pending);
    return pending;
  }

  /** Chains the entries after the head, under the head's row lock; the caller's transaction. */
  private void append(List<Entry> entries) {
    Map<String, Object> head =
        jdbc.queryForMap("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
    long seq = ((Number) head.get("seq")).longValue();
    String previous = (String) head.get("hash");
    // one instant for the whole append, in milliseconds: the stored value hashes as it was written
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Timestamp stamp = Timestamp.from(at);
    List<Object[]> rows = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      seq++;
      ChainedEntry chained =
          new ChainedEntry(
              seq,
              at,
              entry.kind().name(),
              entry.actor(),
              entry.messageId(),
              entry.caseNumber(),
              entry.agency(),
              clip(entry.detail()),
              previous,
              null);
      String hash = chainHash.hash(chained);
      rows.add(
          new Object[] {
            seq,
            stamp,
            chained.kind(),
            chained.actor(),
            chained.messageId(),
            chained.caseNumber(),
            chained.agency(),
            chained.detail(),
            previous,
            hash
          });
      previous = hash;
    }
    jdbc.batchUpdate(INSERT, rows);
    jdbc.update("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, previous);
  }

  private static String clip(String detail) {
    return detail == null || detail.length() <= DETAIL_LIMIT
        ? detail
        : detail.substring(0, DETAIL_LIMIT);
  }

  /** The entries of one transaction, appended just before it commits. */
  private final class Pending implements TransactionSynchronization {

    private final List<Entry> entries = new ArrayList<>();

    AuditTrail owner() {
      return AuditTrail.this;
    }

    @Override
    public int getOrder() {
      return LOWEST_PRECEDENCE; // after every other synchronization that may still record
    }

    @Override
    public void beforeCommit(boolean readOnly) {
      if (!entries.isEmpty()) {
        append(entries);
      }
    }
  }
}
