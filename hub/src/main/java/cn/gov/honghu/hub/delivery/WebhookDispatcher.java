package cn.gov.honghu.hub.delivery;

import cn.gov.honghu.connectors.webhook.Backoff;
import cn.gov.honghu.connectors.webhook.WebhookClient;
import cn.gov.honghu.connectors.webhook.WebhookClient.Attempt;
import cn.gov.honghu.connectors.webhook.WebhookOutcome;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *   <li>A claim sets a lease ({@code next_attempt_at} = now + timeout + margin): a hub that dies
 *       mid-attempt leaves the row to be taken again after the lease, by itself after a restart or
 *       by another instance. The receiver may then see the same {@code X-Hub-Delivery-Id} twice,
 *       which is why the header is stable.
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

  private record Due(long id, String caseKey, int budgetFrom, Inbox.Item item) {}

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
      JsonMapper json,
      MeterRegistry meters,
      Clock clock) {
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
      for (int sent = 0; sent < TURN && !Thread.currentThread().isInterrupted(); sent++) {
        if (!worker.breaker().tryAcquirePermission()) {
          return; // open: the deliveries wait in the table, none is used up
        }
        Due due;
        try {
          due = claim(worker.target());
        } catch (RuntimeException e) {
          // Not a failure of the agency: give the permission back, or a HALF_OPEN breaker would
          // wait for the outcome of a probe that was never sent, and stop the agency's webhooks.
          worker.breaker().releasePermission();
          throw e;
        }
        if (due == null) {
          worker.breaker().releasePermission();
          return;
        }
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
              new Attempt(
                  WebhookOutcome.REFUSED, 0, "not sent: " + poison.getClass().getName(), null));
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

  /** Takes the next due delivery of the agency and leases it; null when none is due. */
  private Due claim(Target target) {
    Instant now = clock.instant();
    return transaction.execute(
        status -> {
          List<Long> ids =
              jdbc.queryForList(
                  "SELECT d.id FROM delivery d WHERE d.recipient = ? AND d.state = 'QUEUED'"
                      + " AND d.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM delivery e"
                      + " WHERE e.recipient = d.recipient AND e.case_key = d.case_key"
                      + " AND e.state = 'QUEUED' AND e.id < d.id)"
                      + " ORDER BY d.priority DESC, d.id LIMIT 1 FOR UPDATE SKIP LOCKED",
                  Long.class,
                  target.agency(),
                  Timestamp.from(now));
          if (ids.isEmpty()) {
            return null;
          }
          long id = ids.get(0);
          jdbc.update(
              "UPDATE delivery SET next_attempt_at = ? WHERE id = ?",
              Timestamp.from(now.plus(target.timeout()).plus(LEASE_MARGIN)),
              id);
          return jdbc.queryForObject(
              "SELECT "
                  + Inbox.ITEM_COLUMNS
                  + ", d.id, d.case_key, d.budget_from FROM delivery d"
                  + " JOIN hub_message m ON m.message_id = d.message_id WHERE d.id = ?",
              (rs, i) ->
                  new Due(
                      rs.getLong("id"),
                      rs.getString("case_key"),
                      rs.getInt("budget_from"),
                      Inbox.ITEM.mapRow(rs, i)),
              id);
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
