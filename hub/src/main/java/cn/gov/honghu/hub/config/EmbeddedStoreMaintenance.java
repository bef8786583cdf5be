package cn.gov.honghu.hub.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the embedded H2 file proportional to its live data (HUB-SPEC section 10): rewrites the live
 * pages of sparsely filled chunks, a little at a time, so that their space is reused.
 *
 * <p>Important: the hub opens H2 with {@code WRITE_DELAY=0} so that every commit reaches the file
 * before the 202 (durability), and with that setting H2 runs no background writer thread, which is
 * also the thread that does H2's own housekeeping (chunk rewriting and compaction). Every commit
 * writes a new chunk holding the changed pages of every index it touched; without housekeeping the
 * old chunks stay, each holding a few live pages, and the file grew by about 120 KB per message
 * under sustained load (25 GB after 185,000 messages), 20 times PostgreSQL's footprint. This
 * schedule does what that thread would do, through the store's public API, with a bounded amount of
 * work per tick so that no commit waits long behind it. {@code RETENTION_TIME=0} in the URL lets
 * the space of a chunk be reused as soon as no live version needs it (H2's default keeps it 45 s,
 * which at full load is gigabytes); a kill -9 cannot lose data by this, as every write the process
 * made is in the operating system's cache.
 */
final class EmbeddedStoreMaintenance implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreMaintenance.class);

  private final DataSource dataSource;
  private final HubProperties.EmbeddedStore settings;
  private final MeterRegistry meters;
  private final Timer steps;
  private volatile boolean running;
  private volatile MVStore store;
  private ScheduledExecutorService scheduler;

  EmbeddedStoreMaintenance(
      DataSource dataSource, HubProperties.EmbeddedStore settings, MeterRegistry meters) {
    this.dataSource = dataSource;
    this.settings = settings;
    this.meters = meters;
    this.steps =
        Timer.builder("hub.store.maintenance")
            .description(
                "Embedded store housekeeping: time per step, during which commits wait (its max is"
                    + " the longest pause)")
            .register(meters);
  }

  @Override
  public synchronized void start() {
    running = true;
    store = openStore();
    if (store == null) {
      return; // PostgreSQL keeps its own house (autovacuum)
    }
    Gauge.builder("hub.store.fill", store, EmbeddedStoreMaintenance::liveShare)
        .description("Embedded store: live data as a percentage of the file")
        .baseUnit("percent")
        .register(meters);
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "hub-store-maintenance");
              thread.setDaemon(true);
              return thread;
            });
    long interval = settings.maintenanceInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
  }

  // Also true where there is nothing to maintain (PostgreSQL), so that stop() is called once.
  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before the pool closes the database (and before the web server, which is harmless). */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2048;
  }

  /**
   * One step as H2's own background writer takes it: rewrite the live pages of the sparsest chunks,
   * up to {@code compactionWriteLimit}, and commit them, which frees those chunks for reuse.
   * Commits wait during the step.
   *
   * <p>Important: chunks are not moved to shrink the file while the hub runs. H2's move ({@code
   * RandomAccessStore.compactMoveChunks}) failed its own assertions when commits wrote chunks
   * concurrently (H2 2.4.240 calls it only from its background writer, which {@code WRITE_DELAY=0}
   * turns off), and the database closed itself. The freed space is reused by the next chunks, so
   * the file stays at its high-water mark; H2 compacts it when the hub stops.
   */
  void tick() {
    MVStore mv = store;
    int target = settings.targetFillRate();
    int writeLimit = (int) settings.compactionWriteLimit().toBytes();
    try {
      if (running && !mv.isClosed() && mv.getFileStore().getChunksFillRate() < target) {
        // The rewritten pages stay in memory until a commit; commit now so that the chunks they
        // came from are free for the next commits.
        timed(() -> mv.compact(target, writeLimit) && mv.commit() >= 0);
      }
    } catch (RuntimeException e) {
      if (running) {
        // The next tick tries again; a failing store shows in the database health check.
        log.warn("embedded store housekeeping failed: {}", e.toString());
      }
    }
  }

  /** Live data as a percentage of the file: used blocks of the file times live pages in them. */
  static double liveShare(MVStore mv) {
    if (mv.isClosed()) {
      return 0;
    }
    FileStore<?> file = mv.getFileStore();
    return file.getFillRate() * file.getChunksFillRate() / 100.0;
  }

  private boolean timed(java.util.function.BooleanSupplier step) {
    long started = System.nanoTime();
    try {
      return step.getAsBoolean();
    } finally {
      steps.record(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private MVStore openStore() {
    try (Connection connection = dataSource.getConnection()) {
      if (connection.isWrapperFor(JdbcConnection.class)
          && connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
        return session.getDatabase().getStore().getMvStore();
      }
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException("could not open the database to check its kind", e);
    }
  }
}
