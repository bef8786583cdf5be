package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.DefaultAgencies;
import cn.gov.honghu.hub.bench.Load.Drainers;
import cn.gov.honghu.hub.bench.Load.PhaseResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The priority lane under a backlog (HUB-SPEC section 8): alert latency while N case messages are
 * queued for the alerts' recipients.
 *
 * <p>With nobody draining, the posters queue {@code alert-backlog} CASE_TRANSFERs (each to the
 * police and the procuratorate, so the police, who receive every alert of the area, have all of
 * them ahead of any alert). Then every agency's drainer starts (pull 250, batch ack) and, at the
 * same moment, alerts arrive open loop at a fixed rate; an alert's latency runs from its intended
 * post to the moment its last recipient pulled it. Last the backlog is drained to the end, so the
 * ledger checks every 202 of the phase, backlog included.
 */
final class AlertLane {

  /** The water area of the alerts: the Yangtze, full ban, five subscribers. */
  static final String WATER_AREA = "yangtze-honghu";

  /**
   * Building and draining the backlog are bounded by count; this only bounds the run's time on a
   * hub too slow to get there (the checks then report the deliveries not acknowledged).
   */
  private static final Duration TIME_LIMIT = Duration.ofMinutes(15);

  /**
   * Members not subscribed to the area: an alert from one of them reaches every subscriber (a
   * sender is never among its own message's recipients).
   */
  private static final List<String> ALERT_SENDERS =
      DefaultAgencies.all().stream()
          .filter(agency -> !agency.waterAreas().contains(WATER_AREA))
          .map(Agency::code)
          .toList();

  private AlertLane() {}

  /**
   * The alert lane's figures.
   *
   * @param phase the backlog and the alerts, for the checks
   * @param queuedAtStart the case messages queued when the drainers started and the first alert was
   *     posted
   * @param queuedAtEnd those still queued once the last alert had reached every recipient
   * @param drainSeconds from the drainers' start to the last acknowledgement of the phase
   */
  record Result(
      PhaseResult phase,
      int backlogAccepted,
      double backlogSeconds,
      Ledger.Backlog queuedAtStart,
      Ledger.Backlog queuedAtEnd,
      double alertRate,
      int alertsAccepted,
      Samples alertAcceptLatency,
      double drainSeconds,
      long drainerPulls,
      long drainerErrors,
      Samples busyPullTimes) {

    /** From an alert's intended post to its pull by the last recipient. */
    Samples alertPulled() {
      return phase.check().alertPulled();
    }

    /** From an alert's intended post to its acknowledgement by the last recipient. */
    Samples alertAcknowledged() {
      return phase.check().alertE2e();
    }
  }

  /** Runs the phase; nobody may drain the clients' inboxes meanwhile. */
  static Result run(Workload workload, Map<String, AgencyClient> clients, Options options)
      throws InterruptedException {
    Ledger ledger = new Ledger();
    long start = System.nanoTime();
    Load.postClosedLoop(
        "backlog",
        workload::transfer,
        transfer -> {}, // a backlog: no case goes further
        clients,
        ledger,
        options.concurrency(),
        TIME_LIMIT,
        options.alertBacklog());
    long built = System.nanoTime();
    int backlog = ledger.accepted();
    Ledger.Backlog queuedAtStart = ledger.caseBacklog();
    long drainStart = System.nanoTime();

    AtomicInteger alerts = new AtomicInteger();
    long postingEnd;
    Ledger.Backlog queuedAtEnd;
    long pulls;
    long errors;
    Samples busyPullTimes;
    try (Drainers drainers = new Drainers(clients, options.idle(), ledger)) {
      Load.postOpenLoop(
          () ->
              workload.alert(
                  ALERT_SENDERS.get(alerts.getAndIncrement() % ALERT_SENDERS.size()), WATER_AREA),
          alert -> {},
          clients,
          ledger,
          options.alertRate(),
          options.alertDuration());
      postingEnd = System.nanoTime();
      try {
        org.awaitility.Awaitility.await()
            .atMost(options.drainTimeout())
            .pollInterval(Duration.ofMillis(5))
            .until(ledger::alertsPulled);
      } catch (org.awaitility.core.ConditionTimeoutException late) {
        // the check reports the alerts never pulled as lost
      }
      queuedAtEnd = ledger.caseBacklog();
      awaitDrained(ledger, options.drainTimeout());
      pulls = drainers.pulls();
      errors = drainers.errors();
      busyPullTimes = drainers.busyPullTimes();
    }
    PhaseResult phase = Load.result("alert lane", ledger, start, postingEnd, options.alertRate());
    return new Result(
        phase,
        backlog,
        (built - start) / 1e9,
        queuedAtStart,
        queuedAtEnd,
        options.alertRate(),
        ledger.accepted() - backlog,
        ledger.alertAcceptLatency(),
        phase.complete() ? (ledger.lastAckNanos() - drainStart) / 1e9 : -1,
        pulls,
        errors,
        busyPullTimes);
  }

  /**
   * Waits until every delivery is acknowledged, or nothing was acknowledged for {@code
   * stallTimeout}, or {@link #TIME_LIMIT} passed: a large backlog takes minutes to drain, so the
   * wait follows progress.
   */
  private static void awaitDrained(Ledger ledger, Duration stallTimeout)
      throws InterruptedException {
    long acknowledged = ledger.acknowledgedDeliveries();
    long lastProgress = System.nanoTime();
    long deadline = lastProgress + TIME_LIMIT.toNanos();
    while (!ledger.allAcknowledged()
        && System.nanoTime() - lastProgress < stallTimeout.toNanos()
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
      long now = ledger.acknowledgedDeliveries();
      if (now != acknowledged) {
        acknowledged = now;
        lastProgress = System.nanoTime();
      }
    }
  }
}
