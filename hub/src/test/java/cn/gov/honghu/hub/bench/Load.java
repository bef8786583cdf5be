package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.bench.AgencyClient.Delivery;
import cn.gov.honghu.hub.bench.AgencyClient.PostAnswer;
import cn.gov.honghu.hub.bench.Workload.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The load phases against a running hub: the recipients' drainers, the closed-loop saturation phase
 * (throughput) and the open-loop fixed-rate phase (accept latency). Every phase is bounded by time
 * and by count, and ends only when every 202 of the phase is acknowledged by every recipient (or
 * its drain timeout passed, which the result reports as incomplete).
 */
final class Load {

  private Load() {}

  /** The figures of one phase. */
  record PhaseResult(
      String name,
      int posted,
      int accepted,
      Map<Integer, Integer> refused,
      int transportErrors,
      long expectedDeliveries,
      long acknowledgedDeliveries,
      long foreignDeliveries,
      boolean complete,
      double seconds,
      double postingSeconds,
      double targetRate,
      Ledger.Check check,
      Samples acceptLatency) {

    /** Messages per second from the first post to the last recipient's acknowledgement. */
    double throughput() {
      return seconds > 0 ? accepted / seconds : 0;
    }

    double deliveriesPerSecond() {
      return seconds > 0 ? acknowledgedDeliveries / seconds : 0;
    }

    double acceptRate() {
      return postingSeconds > 0 ? accepted / postingSeconds : 0;
    }
  }

  /**
   * Every agency's inbox drained concurrently, one client thread per agency, as a well-behaved
   * agency system does: pull up to the limit, acknowledge the batch, pull again at once while there
   * is work, wait {@code idle} when the inbox is empty.
   */
  static final class Drainers implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong pulls = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Samples busyPullTimes = new Samples();
    private volatile Ledger ledger;
    private volatile boolean running = true;

    /** Released on stop, so an idle drainer wakes at once instead of finishing its wait. */
    private final java.util.concurrent.CountDownLatch stopped =
        new java.util.concurrent.CountDownLatch(1);

    Drainers(Map<String, AgencyClient> clients, Duration idle, Ledger initial) {
      this.ledger = initial;
      for (AgencyClient client : clients.values()) {
        Thread thread = new Thread(() -> drain(client, idle), "drain-" + client.code);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    /** Books the next deliveries in this ledger. */
    void bookInto(Ledger next) {
      this.ledger = next;
    }

    long pulls() {
      return pulls.get();
    }

    long errors() {
      return errors.get();
    }

    /** Answer times of the pulls that returned deliveries (empty pulls are cheap polls). */
    Samples busyPullTimes() {
      return busyPullTimes;
    }

    private void drain(AgencyClient client, Duration idle) {
      while (running) {
        try {
          long asked = System.nanoTime();
          List<Delivery> items = client.pull();
          long pulledAt = System.nanoTime();
          pulls.incrementAndGet();
          if (items.isEmpty()) {
            // a well-behaved client polls an empty inbox again after a pause
            stopped.await(idle.toMillis(), TimeUnit.MILLISECONDS);
            continue;
          }
          busyPullTimes.add(pulledAt - asked);
          Ledger books = ledger;
          Map<String, String> messageOf = new HashMap<>();
          List<String> ids = new ArrayList<>(items.size());
          for (Delivery item : items) {
            books.pulled(client.code, item, pulledAt);
            messageOf.put(item.deliveryId(), item.messageId());
            ids.add(item.deliveryId());
          }
          List<String> acknowledged = client.acknowledge(ids);
          long now = System.nanoTime();
          for (String id : acknowledged) {
            books.acknowledged(client.code, messageOf.get(id), now);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          errors.incrementAndGet();
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      stopped.countDown();
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(35));
      }
    }
  }

  /**
   * Closed loop: {@code concurrency} posters, each posting its next message as soon as the previous
   * one is answered, until {@code duration} passed or {@code maxMessages} were posted; then waits
   * until every 202 is acknowledged by every recipient.
   */
  static PhaseResult closedLoop(
      String name,
      Workload workload,
      Map<String, AgencyClient> clients,
      Drainers drainers,
      int concurrency,
      Duration duration,
      int maxMessages,
      Duration drainTimeout)
      throws InterruptedException {
    Ledger ledger = new Ledger();
    drainers.bookInto(ledger);
    long start = System.nanoTime();
    postClosedLoop(
        name,
        workload::next,
        workload::accepted,
        clients,
        ledger,
        concurrency,
        duration,
        maxMessages);
    long postingEnd = System.nanoTime();
    return finish(name, ledger, start, postingEnd, drainTimeout, 0);
  }

  /**
   * Posts from {@code concurrency} threads, each its next task as soon as the previous one is
   * answered, until {@code duration} passed or {@code maxMessages} were posted; books every post in
   * the ledger and hands every task answered 202 to {@code onAccepted}.
   */
  static void postClosedLoop(
      String name,
      Supplier<Task> next,
      Consumer<Task> onAccepted,
      Map<String, AgencyClient> clients,
      Ledger ledger,
      int concurrency,
      Duration duration,
      int maxMessages)
      throws InterruptedException {
    AtomicInteger issued = new AtomicInteger();
    long deadline = System.nanoTime() + duration.toNanos();
    List<Thread> posters = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Thread poster =
          new Thread(
              () -> {
                while (System.nanoTime() < deadline && issued.incrementAndGet() <= maxMessages) {
                  Task task = next.get();
                  long sent = System.nanoTime();
                  ledger.sent(task, sent);
                  try {
                    PostAnswer answer = clients.get(task.sender()).post(task.body());
                    ledger.answered(task, answer, System.nanoTime() - sent);
                    if (answer.status() == 202) {
                      onAccepted.accept(task);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  } catch (Exception e) {
                    ledger.failed(System.nanoTime() - sent);
                  }
                }
              },
              name + "-poster-" + i);
      posters.add(poster);
      poster.start();
    }
    for (Thread poster : posters) {
      poster.join();
    }
  }

  /**
   * Open loop at a fixed arrival rate: post number i is due at {@code start + i / rate} whatever
   * happened to the earlier ones (asynchronous sends, no cap on requests in flight), and its
   * latency runs from that intended time, so a stall of the hub shows as queueing delay of every
   * post due during it (no coordinated omission).
   */
  static PhaseResult openLoop(
      String name,
      Workload workload,
      Map<String, AgencyClient> clients,
      Drainers drainers,
      double rate,
      Duration duration,
      Duration drainTimeout)
      throws InterruptedException {
    Ledger ledger = new Ledger();
    drainers.bookInto(ledger);
    long start = postOpenLoop(workload::next, workload::accepted, clients, ledger, rate, duration);
    long postingEnd = System.nanoTime();
    return finish(name, ledger, start, postingEnd, drainTimeout, rate);
  }

  /**
   * Posts {@code rate * duration} tasks, number i due at {@code start + i / rate}, asynchronously,
   * books each in the ledger from its intended time and hands every task answered 202 to {@code
   * onAccepted}; returns {@code start} once every post is answered (or a minute passed).
   */
  static long postOpenLoop(
      Supplier<Task> next,
      Consumer<Task> onAccepted,
      Map<String, AgencyClient> clients,
      Ledger ledger,
      double rate,
      Duration duration)
      throws InterruptedException {
    long period = (long) (1e9 / rate);
    int count = Math.max(1, (int) (rate * duration.toNanos() / 1e9));
    List<CompletableFuture<?>> inFlight = new ArrayList<>(count);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    for (int i = 0; i < count; i++) {
      long intended = start + i * period;
      Task task = next.get(); // built before its time, so building it is not measured
      long wait;
      while ((wait = intended - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      ledger.sent(task, intended);
      inFlight.add(
          clients
              .get(task.sender())
              .postAsync(task.body())
              .whenComplete(
                  (answer, failure) -> {
                    long latency = System.nanoTime() - intended;
                    if (failure != null) {
                      ledger.failed(latency);
                      return;
                    }
                    ledger.answered(task, answer, latency);
                    if (answer.status() == 202) {
                      onAccepted.accept(task);
                    }
                  }));
    }
    try {
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
          .exceptionally(failure -> null)
          .get(60, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // reported through the ledger: posts without an answer count as neither accepted nor refused
    }
    return start;
  }

  private static PhaseResult finish(
      String name,
      Ledger ledger,
      long start,
      long postingEnd,
      Duration drainTimeout,
      double targetRate) {
    try {
      org.awaitility.Awaitility.await()
          .atMost(drainTimeout)
          .pollInterval(Duration.ofMillis(5))
          .until(ledger::allAcknowledged);
    } catch (org.awaitility.core.ConditionTimeoutException incomplete) {
      // reported by result() as an incomplete phase
    }
    return result(name, ledger, start, postingEnd, targetRate);
  }

  /** The phase's figures as they stand: complete when every 202 is acknowledged. */
  static PhaseResult result(
      String name, Ledger ledger, long start, long postingEnd, double targetRate) {
    boolean complete = ledger.allAcknowledged();
    long end = complete ? Math.max(ledger.lastAckNanos(), postingEnd) : System.nanoTime();
    return new PhaseResult(
        name,
        ledger.posted(),
        ledger.accepted(),
        ledger.refusals(),
        ledger.transportErrors(),
        ledger.expectedDeliveries(),
        ledger.acknowledgedDeliveries(),
        ledger.foreignDeliveries(),
        complete,
        (end - start) / 1e9,
        (postingEnd - start) / 1e9,
        targetRate,
        ledger.check(),
        ledger.acceptLatency());
  }
}
