package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.connectors.webhook.Backoff;
import cn.gov.honghu.connectors.webhook.WebhookClient;
import cn.gov.honghu.connectors.webhook.WebhookClient.Attempt;
import cn.gov.honghu.connectors.webhook.WebhookOutcome;
import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes the deliveries of webhook agencies (HUB-SPEC section 4) from the delivery table: the
 * database is already the source of truth of every delivery, so the retry schedule ({@code
 * next_attempt_at}), the attempt history, the failed store and replay are rows beside it, and
 * several hub instances share the work by claiming rows ({@code FOR UPDATE SKIP LOCKED}).
 *
 * <ul>
 *   <li>Each agency has its own worker thread and circuit breaker, so a slow or dead agency never
 *       delays another's deliveries.
 *   <li>Order: a delivery waits while an earlier delivery of the same case to the same agency is
 *       still queued (being retried); once that one has failed, the later ones go.
 *   <li>2xx delivers; 408, 429, 5xx, a timeout or a refused connection is retried after an
 *       exponential backoff with jitter until {@code maxAttempts} tries (the first included); any
 *       other answer fails the delivery at once, recorded with the answer.
 *   <li>A claim takes a batch of due deliveries in one transaction, read in the order of the index
 *       {@code delivery_inbox} (alerts first, then oldest), so draining a backlog after an outage
 *       costs the same per delivery however long the backlog. Each row gets a lease ({@code
 *       next_attempt_at}): the row sent n-th in the batch gets now + n × timeout + margin, time for
 *       the sends before it. A hub that dies mid-batch leaves its rows to be taken again after
 *       their leases, by itself after a restart or by another instance; the receiver may then see
 *       the same {@code X-Hub-Delivery-Id} twice, which is why the header is stable. Rows a turn
 *       does not send (the breaker opened, the hub stops) are given back at once.
 * </ul>
 */
public final class WebhookDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  /** Added to the request timeout to make a claim's lease. */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

  /** How many deliveries a worker sends before it yields its turn. */
  static final int TURN = 50;

  /** One webhook agency with its effective settings. */
  public record Target(
      String agency,
      URI url,
      byte[] secret,
      int maxAttempts,
      Duration initialDelay,
      Duration maxDelay,
      Duration timeout) {}

  /**
   * The breaker's rule: open after {@code failures} in a row, probe again after {@code openFor}.
   */
  public record BreakerSettings(int failures, Duration openFor) {}

  /** How many deliveries one claim takes (one transaction). */
  static final int CLAIM_BATCH = 25;

  /** A delivery waits while an earlier one of its case is still queued for the same agency. */
  private static final String NO_EARLIER_QUEUED =
      " AND NOT EXISTS (SELECT 1 FROM delivery e WHERE e.case_key = d.case_key"
          + " AND e.recipient = d.recipient AND e.state = 'QUEUED' AND e.id < d.id)";

  /**
   * The agency's next due deliveries of one priority after a given id, read in the order of the
   * index {@code delivery_inbox} (the {@code ORDER BY} names all its columns, or H2 sorts every due
   * row instead). Because of {@link #NO_EARLIER_QUEUED} a batch holds at most the first queued
   * delivery of each case, so a later one never overtakes it.
   */
  static final String CANDIDATES =
      "SELECT d.id FROM delivery d WHERE d.recipient = ? AND d.state = 'QUEUED' AND d.priority = ?"
          + " AND d.id > ? AND d.next_attempt_at <= ?"
          + NO_EARLIER_QUEUED
          + " ORDER BY d.recipient, d.state, d.priority, d.id LIMIT ?";

  /**
   * Locks those of the candidates still due that no other instance holds. Important: a separate
   * statement, because H2 reads (and locks) the whole range before the limit when {@code FOR
   * UPDATE} and {@code LIMIT} meet in one query: 2-5 s per claim with 300,000 queued rows.
   */
  static final String LOCK =
      "SELECT d.id FROM delivery d WHERE d.recipient = ? AND d.state = 'QUEUED'"
          + " AND d.next_attempt_at <= ?"
          + NO_EARLIER_QUEUED
          + " AND d.id IN (%s) FOR UPDATE SKIP LOCKED";

  private record Due(long id, String caseKey, int budgetFrom, Inbox.Item item, Timestamp lease) {}

  private record Worker(
      Target target,
      Backoff backoff,
      CircuitBreaker breaker,
      ExecutorService thread,
      AtomicBoolean busy) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final WebhookClient client;
  private final EventLog events;
  private final org.springframework.jdbc.core.RowMapper<Inbox.Item> items;
  private final JsonMapper json;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Map<String, Worker> workers = new HashMap<>();

  public WebhookDispatcher(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      WebhookClient client,
      List<Target> targets,
      BreakerSettings breaker,
      EventLog events,
      EnvelopeCipher cipher,
      JsonMapper json,
      MeterRegistry meters,
      Clock clock) {
    this.items = Inbox.items(cipher);
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.client = client;
    this.events = events;
    this.json = json;
    this.clock = clock;
    this.meters = meters;
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(breaker.failures())
            .minimumNumberOfCalls(breaker.failures())
            .failureRateThreshold(100)
            .waitDurationInOpenState(breaker.openFor())
            .permittedNumberOfCallsInHalfOpenState(1)
            .build();
    for (Target target : targets) {
      CircuitBreaker agencyBreaker = CircuitBreaker.of("webhook-" + target.agency(), config);
      workers.put(
          target.agency(),
          new Worker(
              target,
              new Backoff(target.initialDelay(), target.maxDelay(), RandomGenerator.getDefault()),
              agencyBreaker,
              Executors.newSingleThreadExecutor(
                  r -> {
                    Thread thread = new Thread(r, "webhook-" + target.agency());
                    thread.setDaemon(true);
                    return thread;
                  }),
              new AtomicBoolean()));
      Gauge.builder("hub.webhook.breaker.open", agencyBreaker, b -> breakerValue(b))
          .description("The agency's webhook breaker: 0 closed, 1 open, 0.5 half-open (probing)")
          .tag("agency", target.agency())
          .register(meters);
    }
  }

  /** Starts a turn for every agency whose worker is idle and whose breaker lets calls through. */
  public void dispatch() {
    for (Worker worker : workers.values()) {
      if (worker.busy().compareAndSet(false, true)) {
        try {
          worker.thread().execute(() -> runTurn(worker));
        } catch (RuntimeException rejected) {
          worker.busy().set(false); // shutting down
        }
      }
    }
  }

  /** The breaker state of an agency (CLOSED, OPEN, HALF_OPEN), for stats and tests. */
  public String breakerState(String agency) {
    Worker worker = workers.get(agency);
    return worker == null ? null : worker.breaker().getState().name();
  }

  @Override
  public void close() {
    for (Worker worker : workers.values()) {
      worker.thread().shutdownNow();
    }
    for (Worker worker : workers.values()) {
      try {
        worker.thread().awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void runTurn(Worker worker) {
    try {
      int sent = 0;
      while (sent < TURN && !Thread.currentThread().isInterrupted()) {
        if (!worker.breaker().tryAcquirePermission()) {
          return; // open: the deliveries wait in the table, none is used up
        }
        List<Due> batch;
        try {
          batch = claim(worker.target(), Math.min(CLAIM_BATCH, TURN - sent));
        } catch (RuntimeException e) {
          // Not a failure of the agency: give the permission back, or a HALF_OPEN breaker would
          // wait for the outcome of a probe that was never sent, and stop the agency's webhooks.
          worker.breaker().releasePermission();
          throw e;
        }
        if (batch.isEmpty()) {
          worker.breaker().releasePermission();
          return;
        }
        int next = 0;
        try {
          // The first send uses the permission taken before the claim.
          while (next < batch.size() && (next == 0 || worker.breaker().tryAcquirePermission())) {
            if (Thread.currentThread().isInterrupted()) {
              worker.breaker().releasePermission();
              break;
            }
            // Counted before the try: a row whose send failed keeps its lease.
            send(worker, batch.get(next++));
            sent++;
          }
        } finally {
          giveBack(batch.subList(next, batch.size()));
        }
        if (next < batch.size()) {
          return; // the breaker opened, or the hub stops
        }
      }
    } catch (DataAccessException e) {
      log.warn(
          "Webhook turn for {} stopped: {}",
          worker.target().agency(),
          e.getClass().getSimpleName());
    } finally {
      worker.busy().set(false);
    }
  }

  /** One try of a claimed delivery, with the breaker's permission already taken. */
  private void send(Worker worker, Due due) {
    try {
      deliver(worker, due);
    } catch (DataAccessException e) {
      throw e;
    } catch (RuntimeException poison) {
      // A delivery the hub cannot even send (e.g. its body cannot be written) goes to the
      // failed store at once instead of blocking its case behind a lease forever.
      worker.breaker().releasePermission();
      record(
          worker.target(),
          worker.backoff(),
          due,
          due.item().attempt(),
          new Attempt(WebhookOutcome.REFUSED, 0, "not sent: " + poison.getClass().getName(), null));
    }
  }

  /**
   * Ends the leases of claimed rows this turn did not send, so they are due again at once; a row
   * whose lease already passed (another instance may hold it now) is left alone.
   */
  private void giveBack(List<Due> unsent) {
    if (unsent.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(clock.instant());
    try {
      jdbc.batchUpdate(
          "UPDATE delivery SET next_attempt_at = ? WHERE id = ? AND state = 'QUEUED'"
              + " AND next_attempt_at = ?",
          unsent.stream().map(due -> new Object[] {now, due.id(), due.lease()}).toList());
    } catch (DataAccessException e) {
      // The leases run out by themselves.
      log.debug("Unsent webhook leases not given back: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * Takes up to {@code max} due deliveries of the agency, alerts first, then oldest, and leases
   * them; empty when none is due.
   */
  private List<Due> claim(Target target, int max) {
    Instant now = clock.instant();
    return transaction.execute(
        status -> {
          List<Long> ids = new ArrayList<>();
          for (int priority = 1; priority >= 0 && ids.size() < max; priority--) {
            long after = 0;
            while (ids.size() < max) {
              int wanted = max - ids.size();
              List<Long> candidates =
                  jdbc.queryForList(
                      CANDIDATES,
                      Long.class,
                      target.agency(),
                      priority,
                      after,
                      Timestamp.from(now),
                      wanted);
              if (candidates.isEmpty()) {
                break;
              }
              List<Object> args = new ArrayList<>();
              args.add(target.agency());
              args.add(Timestamp.from(now));
              args.addAll(candidates);
              Set<Long> locked =
                  new HashSet<>(
                      jdbc.queryForList(
                          LOCK.formatted(
                              String.join(", ", Collections.nCopies(candidates.size(), "?"))),
                          Long.class,
                          args.toArray()));
              candidates.stream().filter(locked::contains).forEach(ids::add);
              if (candidates.size() < wanted) {
                break; // the range is exhausted
              }
              after = candidates.get(candidates.size() - 1); // others held some: read on
            }
          }
          if (ids.isEmpty()) {
            return List.<Due>of();
          }
          // Millisecond leases, so that giveBack matches them on both engines.
          Instant base = now.truncatedTo(ChronoUnit.MILLIS).plus(LEASE_MARGIN);
          Map<Long, Timestamp> leases = new HashMap<>();
          List<Object[]> updates = new ArrayList<>();
          for (int i = 0; i < ids.size(); i++) {
            Timestamp lease = Timestamp.from(base.plus(target.timeout().multipliedBy(i + 1L)));
            leases.put(ids.get(i), lease);
            updates.add(new Object[] {lease, ids.get(i)});
          }
          jdbc.batchUpdate("UPDATE delivery SET next_attempt_at = ? WHERE id = ?", updates);
          Map<Long, Due> byId = new HashMap<>();
          jdbc.query(
                  "SELECT "
                      + Inbox.ITEM_COLUMNS
                      + ", d.id, d.case_key, d.budget_from FROM delivery d"
                      + " JOIN hub_message m ON m.message_id = d.message_id WHERE d.id IN ("
                      + String.join(", ", Collections.nCopies(ids.size(), "?"))
                      + ")",
                  (rs, i) ->
                      new Due(
                          rs.getLong("id"),
                          rs.getString("case_key"),
                          rs.getInt("budget_from"),
                          items.mapRow(rs, i),
                          leases.get(rs.getLong("id"))),
                  ids.toArray())
              .forEach(due -> byId.put(due.id(), due));
          return ids.stream().map(byId::get).toList();
        });
  }

  private void deliver(Worker worker, Due due) {
    Target target = worker.target();
    Inbox.Item item = due.item();
    int attempt = item.attempt(); // this try: the attempts made so far plus one
    long started = System.nanoTime();
    Attempt result =
        client.send(
            target.url(),
            target.secret(),
            item.deliveryId(),
            item.messageId(),
            json.writeValueAsString(item).getBytes(StandardCharsets.UTF_8),
            target.timeout());
    long took = System.nanoTime() - started;
    if (result.outcome() == WebhookOutcome.RETRY) {
      worker.breaker().onError(took, TimeUnit.NANOSECONDS, new WebhookFailure(result));
    } else {
      // A refusal is an answer: the agency is up, so it does not count against the breaker.
      worker.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
    }
    Counter.builder("hub.webhook.attempts")
        .description("Webhook attempts by agency and outcome (DELIVERED, RETRY, REFUSED)")
        .tag("agency", target.agency())
        .tag("outcome", result.outcome().name())
        .register(meters)
        .increment();
    record(target, worker.backoff(), due, attempt, result);
  }

  private void record(Target target, Backoff backoff, Due due, int attempt, Attempt result) {
    Instant now = clock.instant();
    String deliveryId = due.item().deliveryId();
    String error = error(result);
    boolean exhausted = attempt - due.budgetFrom() >= target.maxAttempts();
    transaction.executeWithoutResult(
        status -> {
          jdbc.update(
              "INSERT INTO delivery_attempt (delivery_id, attempt, at, outcome, status, error,"
                  + " excerpt) VALUES (?, ?, ?, ?, ?, ?, ?)",
              deliveryId,
              attempt,
              Timestamp.from(now),
              result.outcome().name(),
              result.status() == 0 ? null : result.status(),
              error,
              truncate(result.excerpt()));
          if (result.outcome() == WebhookOutcome.DELIVERED) {
            jdbc.update(
                "UPDATE delivery SET state = 'DELIVERED', attempts = ?, delivered_at = ?,"
                    + " last_error = NULL, next_attempt_at = NULL WHERE id = ?",
                attempt,
                Timestamp.from(now),
                due.id());
            events.append(
                new Event(
                    Kind.DELIVERED,
                    target.agency(),
                    due.item().messageId(),
                    deliveryId,
                    result.status(),
                    null));
          } else if (result.outcome() == WebhookOutcome.RETRY && !exhausted) {
            jdbc.update(
                "UPDATE delivery SET attempts = ?, last_error = ?, next_attempt_at = ?"
                    + " WHERE id = ?",
                attempt,
                error,
                Timestamp.from(now.plus(backoff.after(attempt - due.budgetFrom()))),
                due.id());
          } else {
            jdbc.update(
                "UPDATE delivery SET state = 'FAILED', attempts = ?, last_error = ?,"
                    + " failed_at = ?, next_attempt_at = NULL WHERE id = ?",
                attempt,
                error,
                Timestamp.from(now),
                due.id());
            events.append(
                new Event(
                    Kind.FAILED,
                    target.agency(),
                    due.item().messageId(),
                    deliveryId,
                    result.status() == 0 ? null : result.status(),
                    null));
          }
        });
  }

  /** What the admins see of a failed attempt: the status, or the error, never the payload. */
  private static String error(Attempt result) {
    if (result.outcome() == WebhookOutcome.DELIVERED) {
      return null;
    }
    String error = result.error() != null ? result.error() : "HTTP " + result.status();
    return truncate(error);
  }

  private static String truncate(String text) {
    return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
  }

  private static double breakerValue(CircuitBreaker breaker) {
    return switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> 1;
      case HALF_OPEN -> 0.5;
      default -> 0;
    };
  }

  /** A failed attempt as the breaker records it. */
  static final class WebhookFailure extends RuntimeException {
    WebhookFailure(Attempt attempt) {
      super(error(attempt), null, false, false);
    }
  }
}
