package cn.gov.honghu.hub.retention;

import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.metrics.RetentionMetrics;
import cn.gov.honghu.hub.metrics.RetentionMetrics.What;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The retention run of HUB-SPEC section 11, in three passes:
 *
 * <ol>
 *   <li><b>Finished deliveries</b> older than {@code finishedDeliveries}, with their attempts (and
 *       any outbox row left behind): ACKNOWLEDGED by {@code acked_at}; DELIVERED by {@code
 *       delivered_at} only to webhook and jms agencies ({@code pushRecipients}), for which it is
 *       final; DISCARDED by {@code discarded_at}. A waiting delivery stays whatever its age:
 *       QUEUED, DELIVERED to a pull agency that has not acknowledged it, FAILED until an admin
 *       replays or discards it.
 *   <li><b>Events</b> older than the same age of messages with no delivery left (all finished and
 *       purged), and those without a message (refusals); the case timeline's OMISSION_REMEDIED and
 *       the RETENTION_RUN entries stay.
 *   <li><b>Personal data</b>: the party fields of every envelope of a case whose last message is
 *       older than {@code personalData} become {@code "[removed]"} ({@link PersonalData}); a
 *       message without a case counts alone.
 * </ol>
 *
 * <p>Important: every transaction touches at most {@code batchSize} rows, found by an index range
 * (V7__retention.sql) and locked with {@code FOR UPDATE SKIP LOCKED}, so ingest, pulls and acks
 * never wait long behind it; a delivery another transaction is changing (a dead letter moving a jms
 * delivery to FAILED) is skipped and looked at again next time. One instance runs at a time ({@link
 * DutyLock}); a run that loses its lease stops after the batch in hand. The counts go to one INFO
 * line, the metrics and a RETENTION_RUN event; no line names a party or a message.
 */
public final class RetentionJob {

  /** What one run removed. */
  public record Counts(long deliveries, long attempts, long events, long personalData) {

    Counts plus(Counts other) {
      return new Counts(
          deliveries + other.deliveries,
          attempts + other.attempts,
          events + other.events,
          personalData + other.personalData);
    }
  }

  /** The settings of the job ({@code hub.retention.*}). */
  public record Settings(
      Duration finishedDeliveries,
      Period personalData,
      Optional<CronExpression> schedule,
      int batchSize,
      ZoneId zone) {}

  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
  private static final Counts NONE = new Counts(0, 0, 0, 0);
  private static final String SCHEDULER = "hub";

  private final EnvelopeCipher cipher;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final DutyLock lock;
  private final EventLog events;
  private final RetentionMetrics metrics;
  private final JsonMapper json;
  private final Clock clock;
  private final Settings settings;
  private final Set<String> pushRecipients;
  private final Instant startedAt;

  /** {@code pushRecipients}: the agencies in delivery mode webhook or jms. */
  RetentionJob(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      DutyLock lock,
      EventLog events,
      RetentionMetrics metrics,
      EnvelopeCipher cipher,
      JsonMapper json,
      Clock clock,
      Settings settings,
      Collection<String> pushRecipients) {
    this.cipher = cipher;
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.lock = lock;
    this.events = events;
    this.metrics = metrics;
    this.json = json;
    this.clock = clock;
    this.settings = settings;
    this.pushRecipients = Set.copyOf(pushRecipients);
    this.startedAt = clock.instant();
  }

  /**
   * Runs when the schedule fired since the last run (of any instance; since this hub started when
   * there was none) and this instance wins the claim of that slot.
   */
  public Optional<Counts> runIfDue() {
    if (settings.schedule().isEmpty()) {
      return Optional.empty();
    }
    Optional<DutyLock.State> state = lock.read();
    if (state.isEmpty()) {
      return Optional.empty();
    }
    Instant reference =
        state.get().lastStartedAt() == null ? startedAt : state.get().lastStartedAt();
    ZonedDateTime next = settings.schedule().get().next(reference.atZone(settings.zone()));
    if (next == null || next.toInstant().isAfter(clock.instant())) {
      return Optional.empty();
    }
    return run(state, SCHEDULER);
  }

  /**
   * Runs now unless another instance is running; {@code actor} (an admin's name, or the hub) is
   * recorded with the run. Empty when another instance holds the lease.
   */
  public Optional<Counts> runNow(String actor) {
    return run(Optional.empty(), actor);
  }

  private Optional<Counts> run(Optional<DutyLock.State> slot, String actor) {
    if (!lock.claim(slot)) {
      log.debug("retention: another instance is running it");
      return Optional.empty();
    }
    long began = System.nanoTime();
    Instant now = clock.instant();
    Instant deliveryCutoff = now.minus(settings.finishedDeliveries());
    Instant personalCutoff = now.atZone(settings.zone()).minus(settings.personalData()).toInstant();
    // What the committed batches removed, also when a pass stops half-way.
    Counts[] done = {NONE};
    boolean complete = false;
    try {
      purgeDeliveries(deliveryCutoff, batch -> done[0] = done[0].plus(batch));
      purgeEvents(deliveryCutoff, batch -> done[0] = done[0].plus(batch));
      removePersonalData(personalCutoff, batch -> done[0] = done[0].plus(batch));
      complete = true;
    } catch (LeaseLost e) {
      log.warn("retention: the lease passed to another instance; stopped after the batch in hand");
    } finally {
      try {
        record(done[0], actor, complete, Duration.ofNanos(System.nanoTime() - began));
      } finally {
        lock.release();
      }
    }
    return Optional.of(done[0]);
  }

  // ---------------------------------------------------------------- finished deliveries

  private void purgeDeliveries(Instant cutoff, Consumer<Counts> done) {
    Timestamp before = Timestamp.from(cutoff);
    purgeDeliveries(
        "state = 'ACKNOWLEDGED' AND acked_at < ?", "state, acked_at", List.of(before), done);
    for (String recipient : pushRecipients) {
      purgeDeliveries(
          "recipient = ? AND state = 'DELIVERED' AND delivered_at < ?",
          "recipient, state, delivered_at",
          List.of(recipient, before),
          done);
    }
    purgeDeliveries(
        "state = 'DISCARDED' AND discarded_at < ?", "state, failed_at", List.of(before), done);
  }

  /**
   * Deletes the deliveries {@code condition} selects, with their attempts, a batch per transaction,
   * until none are left. The batch is read in the order of its index ({@code order}, the index's
   * columns: both databases then stop reading after the batch) and then locked by primary key with
   * the condition checked again; H2 would read every matching row to sort them when the first query
   * itself locked.
   */
  private void purgeDeliveries(
      String condition, String order, List<Object> args, Consumer<Counts> done) {
    while (true) {
      Counts batch =
          transaction.execute(
              status -> {
                List<Object> params = new ArrayList<>(args);
                params.add(settings.batchSize());
                List<Long> candidates =
                    jdbc.queryForList(
                        "SELECT id FROM delivery WHERE "
                            + condition
                            + " ORDER BY "
                            + order
                            + " LIMIT ?",
                        Long.class,
                        params.toArray());
                if (candidates.isEmpty()) {
                  return NONE;
                }
                List<Object> lockArgs = new ArrayList<>(candidates);
                lockArgs.addAll(args);
                List<Long> ids = new ArrayList<>();
                List<String> deliveryIds = new ArrayList<>();
                jdbc.query(
                    "SELECT id, delivery_id FROM delivery WHERE id IN ("
                        + in(candidates)
                        + ") AND "
                        + condition
                        + " FOR UPDATE SKIP LOCKED",
                    rs -> {
                      ids.add(rs.getLong(1));
                      deliveryIds.add(rs.getString(2));
                    },
                    lockArgs.toArray());
                if (ids.isEmpty()) {
                  return NONE;
                }
                int attempts =
                    jdbc.update(
                        "DELETE FROM delivery_attempt WHERE delivery_id IN (" + in(ids) + ")",
                        deliveryIds.toArray());
                jdbc.update(
                    "DELETE FROM outbox WHERE delivery_id IN (" + in(ids) + ")",
                    deliveryIds.toArray());
                int deliveries =
                    jdbc.update(
                        "DELETE FROM delivery WHERE id IN (" + in(ids) + ")", ids.toArray());
                return new Counts(deliveries, attempts, 0, 0);
              });
      done.accept(batch);
      renew();
      if (batch.deliveries() < settings.batchSize()) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- events

  private record EventKey(Timestamp at, long id) {}

  private void purgeEvents(Instant cutoff, Consumer<Counts> done) {
    Timestamp before = Timestamp.from(cutoff);
    EventKey last = null;
    while (true) {
      // Walks the events older than the cutoff in the order of the index hub_event_retention
      // (at, id), from where the last batch ended: an event that stays (its message still waits)
      // is read once per run, and the events of the retention period are not read at all.
      List<Object> args = new ArrayList<>(List.of(before));
      String after = "";
      if (last != null) {
        after = " AND (e.at, e.id) > (?, ?)";
        args.addAll(List.of(last.at(), last.id()));
      }
      args.add(settings.batchSize());
      List<EventKey> batch =
          jdbc.query(
              "SELECT e.at, e.id FROM hub_event e WHERE e.at < ?"
                  + after
                  + " AND e.kind NOT IN ('OMISSION_REMEDIED', 'RETENTION_RUN')"
                  + " AND (e.message_id IS NULL OR NOT EXISTS"
                  + " (SELECT 1 FROM delivery d WHERE d.message_id = e.message_id))"
                  + " ORDER BY e.at, e.id LIMIT ?",
              (rs, i) -> new EventKey(rs.getTimestamp(1), rs.getLong(2)),
              args.toArray());
      if (!batch.isEmpty()) {
        List<Long> ids = batch.stream().map(EventKey::id).toList();
        Integer deleted =
            transaction.execute(
                status ->
                    jdbc.update(
                        "DELETE FROM hub_event WHERE id IN (" + in(ids) + ")", ids.toArray()));
        done.accept(new Counts(0, 0, deleted == null ? 0 : deleted, 0));
        last = batch.get(batch.size() - 1);
      }
      renew();
      if (batch.size() < settings.batchSize()) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- personal data

  private record Candidate(String messageId, String caseKey, Timestamp acceptedAt, long seq) {}

  private void removePersonalData(Instant cutoff, Consumer<Counts> done) {
    Timestamp before = Timestamp.from(cutoff);
    Candidate last = null;
    while (true) {
      // Walks the envelopes not yet cleared that are older than the cutoff, in the order of the
      // index hub_message_retention; a message of a case still alive is stepped over (the next
      // run looks again), a cleared one leaves the range for good.
      List<Object> args = new ArrayList<>(List.of(before));
      String after = "";
      if (last != null) {
        after = " AND (accepted_at, accept_seq) > (?, ?)";
        args.addAll(List.of(last.acceptedAt(), last.seq()));
      }
      args.add(settings.batchSize());
      List<Candidate> batch =
          jdbc.query(
              "SELECT message_id, case_key, accepted_at, accept_seq FROM hub_message"
                  + " WHERE personal_data_removed = FALSE AND accepted_at < ?"
                  + after
                  + " ORDER BY personal_data_removed, accepted_at, accept_seq LIMIT ?",
              (rs, i) ->
                  new Candidate(
                      rs.getString(1), rs.getString(2), rs.getTimestamp(3), rs.getLong(4)),
              args.toArray());
      if (batch.isEmpty()) {
        return;
      }
      last = batch.get(batch.size() - 1);
      Set<String> alive = casesWithMessagesSince(batch, before);
      List<String> due =
          batch.stream()
              .filter(c -> c.caseKey() == null || !alive.contains(c.caseKey()))
              .map(Candidate::messageId)
              .toList();
      if (!due.isEmpty()) {
        Integer count = transaction.execute(status -> clear(due));
        done.accept(new Counts(0, 0, 0, count == null ? 0 : count));
      }
      renew();
      if (batch.size() < settings.batchSize()) {
        return;
      }
    }
  }

  /** The cases of {@code batch} with a message accepted at or after {@code since}. */
  private Set<String> casesWithMessagesSince(List<Candidate> batch, Timestamp since) {
    List<String> keys =
        batch.stream().map(Candidate::caseKey).filter(k -> k != null).distinct().toList();
    if (keys.isEmpty()) {
      return Set.of();
    }
    List<Object> args = new ArrayList<>(keys);
    args.add(since);
    return new HashSet<>(
        jdbc.queryForList(
            "SELECT DISTINCT case_key FROM hub_message WHERE case_key IN ("
                + in(keys)
                + ") AND accepted_at >= ?",
            String.class,
            args.toArray()));
  }

  /** Clears the envelopes in one transaction; returns how many had personal data. */
  private int clear(List<String> messageIds) {
    List<Object[]> updates = new ArrayList<>();
    int cleared = 0;
    List<String[]> rows =
        jdbc.query(
            "SELECT message_id, envelope FROM hub_message WHERE message_id IN ("
                + in(messageIds)
                + ") AND personal_data_removed = FALSE FOR UPDATE",
            (rs, i) -> new String[] {rs.getString(1), rs.getString(2)},
            messageIds.toArray());
    for (String[] row : rows) {
      JsonNode envelope = json.readTree(cipher.open(row[0], row[1]));
      if (PersonalData.remove(envelope) > 0) {
        cleared++;
        // sealed again: the rest of the envelope stays as protected as it was
        updates.add(new Object[] {cipher.seal(row[0], json.writeValueAsString(envelope)), row[0]});
      } else {
        updates.add(new Object[] {row[1], row[0]});
      }
    }
    jdbc.batchUpdate(
        "UPDATE hub_message SET envelope = ?, personal_data_removed = TRUE WHERE message_id = ?",
        updates);
    return cleared;
  }

  // ---------------------------------------------------------------- the record of a run

  private void record(Counts counts, String actor, boolean complete, Duration took) {
    metrics.purged(What.DELIVERIES, counts.deliveries());
    metrics.purged(What.ATTEMPTS, counts.attempts());
    metrics.purged(What.EVENTS, counts.events());
    metrics.purged(What.PERSONAL_DATA, counts.personalData());
    String detail =
        json.createObjectNode()
            .put("deliveries", counts.deliveries())
            .put("attempts", counts.attempts())
            .put("events", counts.events())
            .put("personalData", counts.personalData())
            .put("complete", complete)
            .put("finishedDeliveries", settings.finishedDeliveries().toString())
            .put("personalDataAfter", settings.personalData().toString())
            .toString();
    try {
      // agency holds who started the run (as for admin actions on deliveries), at most 32 long
      String by = actor.length() <= 32 ? actor : actor.substring(0, 32);
      events.append(new Event(Kind.RETENTION_RUN, by, null, null, null, detail));
    } finally {
      if (complete) {
        metrics.ran(clock.instant());
      }
      log.info(
          "retention run by {}: purged {} deliveries, {} attempts, {} events; personal data"
              + " removed from {} messages; {} ms{}",
          actor,
          counts.deliveries(),
          counts.attempts(),
          counts.events(),
          counts.personalData(),
          took.toMillis(),
          complete ? "" : " (stopped early)");
    }
  }

  private void renew() {
    if (!lock.renew()) {
      throw new LeaseLost();
    }
  }

  private static String in(Collection<?> values) {
    return String.join(",", Collections.nCopies(values.size(), "?"));
  }

  /** The duty's lease passed to another instance while this one ran. */
  private static final class LeaseLost extends RuntimeException {
    LeaseLost() {
      super(null, null, false, false);
    }
  }
}
