package cn.gov.honghu.hub.delivery;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the broker takes work now, from a probe that opens a fresh connection and session (not a
 * cached one, which can look alive after the broker went away). Ingest consults it and answers 503
 * while the broker is down, so accepted work cannot pile up in the outbox unseen.
 *
 * <p>Important: a connection attempt to a broker that is going away can block for the client's call
 * timeout (30 s by default). The probe therefore runs on its own thread and counts an attempt that
 * does not finish within {@code timeout} as "unreachable"; a probe still hanging is not started
 * twice.
 */
public final class BrokerAvailability implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BrokerAvailability.class);

  private final ConnectionFactory probeConnections;
  private final Duration timeout;
  private final ExecutorService prober =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "broker-probe-connect");
            thread.setDaemon(true);
            return thread;
          });
  static final int FAILURES_BEFORE_UNAVAILABLE = 2;

  private volatile boolean available = true;
  private Future<?> pending;
  private int failuresInARow;

  public BrokerAvailability(ConnectionFactory probeConnections, Duration timeout) {
    this.probeConnections = probeConnections;
    this.timeout = timeout;
  }

  public boolean isAvailable() {
    return available;
  }

  /** Probes the broker and records the result; returns it. Called by one thread at a time. */
  public synchronized boolean probe() {
    boolean now;
    if (pending != null && !pending.isDone()) {
      now = false; // the previous attempt still hangs
    } else {
      pending = prober.submit(this::connect);
      try {
        pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        now = true;
      } catch (TimeoutException | ExecutionException e) {
        now = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        now = false;
      }
    }
    failuresInARow = now ? 0 : failuresInARow + 1;
    now = now || failuresInARow < FAILURES_BEFORE_UNAVAILABLE;
    if (now != available) {
      if (now) {
        log.info("Broker reachable again; ingest accepts messages");
      } else {
        log.warn("Broker unreachable; ingest answers 503 until it is back");
      }
    }
    available = now;
    return now;
  }

  private Void connect() throws Exception {
    try (Connection connection = probeConnections.createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
      return null;
    }
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }
}
