package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.agency.DefaultAgencies;
import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.dedup.Deduplicator;
import cn.gov.honghu.hub.delivery.Inbox;
import cn.gov.honghu.hub.message.CaseNumbers;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.routing.Router;
import cn.gov.honghu.hub.routing.SenderAuthorization;
import cn.gov.honghu.hub.store.MessageStore;
import cn.gov.honghu.hub.thresholds.CaseAssessor;
import cn.gov.honghu.hub.validation.EnvelopeCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The history mode's generator (issue 15): fills a hub's store with accepted messages before the
 * hub starts, through the hub's own code, fast enough for a million.
 *
 * <p>It runs in a JVM of its own (the benchmark starts it on its own classpath, which holds the
 * hub's classes and dependencies), starts the hub's Spring context without the web server against
 * the same data folder or PostgreSQL database, and stores each message with the steps of the
 * accepting transaction ({@code IngestRoutes} "ingest.accept": case lock, assessment, routing,
 * {@link MessageStore#accept}, party history, deadlines), so it writes exactly the rows a 202
 * writes (message, key, case parties, deliveries, events, deadlines) and cannot drift from them.
 * What it leaves out writes nothing: HTTP, schema validation (the workload's messages are valid),
 * the duplicate check (every message is new). It is fast because it commits once per {@code batch}
 * messages instead of once per message.
 *
 * <p>Deliveries are then finished as a recipient finishes them, with {@link Inbox#pull} and {@link
 * Inbox#acknowledge} after every batch. Last it stores {@code waiting} case transfers, each to the
 * police and the procuratorate, and leaves them waiting: the police keep all of them, the
 * procuratorate acknowledges all but {@code small-waiting} (one pull's worth), so the benchmark can
 * time a pull behind a large backlog and a full pull behind nothing but finished history.
 *
 * <p>Arguments {@code key=value}: {@code data-dir} (required), {@code messages}, {@code waiting},
 * {@code small-waiting}, {@code batch}, {@code db-url}, {@code db-user}, {@code db-password} (then
 * the {@code postgres} profile), {@code out} (the summary, JSON). Prints progress to stdout.
 */
public final class Preload {

  /** The recipient left with the large backlog, and the one left with one pull's worth. */
  static final String BACKLOG_RECIPIENT = "police";

  static final String SMALL_RECIPIENT = "procuratorate";

  private final ConfigurableApplicationContext context;
  private final EnvelopeCheck envelope;
  private final Deduplicator dedup;
  private final SenderAuthorization authorization;
  private final CaseAssessor assessor;
  private final Router router;
  private final MessageStore store;
  private final DeadlineBook deadlines;
  private final AgencyRegistry agencies;
  private final Inbox inbox;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private long accepted;
  private long deliveries;
  private long acknowledged;
  private long storeNanos;
  private long acknowledgeNanos;

  private Preload(ConfigurableApplicationContext context) {
    this.context = context;
    this.envelope = context.getBean(EnvelopeCheck.class);
    this.dedup = context.getBean(Deduplicator.class);
    this.authorization = context.getBean(SenderAuthorization.class);
    this.assessor = context.getBean(CaseAssessor.class);
    this.router = context.getBean(Router.class);
    this.store = context.getBean(MessageStore.class);
    this.deadlines = context.getBean(DeadlineBook.class);
    this.agencies = context.getBean(AgencyRegistry.class);
    this.inbox = context.getBean(Inbox.class);
    this.transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    this.clock = context.getBean(Clock.class);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> s = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("not a key=value argument: " + arg);
      }
      s.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Path dataDir = Path.of(required(s, "data-dir")).toAbsolutePath();
    int messages = Integer.parseInt(s.getOrDefault("messages", "1000000"));
    int waiting = Integer.parseInt(s.getOrDefault("waiting", "50000"));
    int smallWaiting = Integer.parseInt(s.getOrDefault("small-waiting", "250"));
    int batch = Integer.parseInt(s.getOrDefault("batch", "1000"));
    List<String> springArgs = new ArrayList<>();
    springArgs.add("--hub.data-dir=" + dataDir);
    if (s.containsKey("db-url")) {
      springArgs.add("--spring.profiles.active=postgres");
      springArgs.add("--spring.datasource.url=" + s.get("db-url"));
      springArgs.add("--spring.datasource.username=" + s.getOrDefault("db-user", "postgres"));
      springArgs.add("--spring.datasource.password=" + s.getOrDefault("db-password", ""));
    }
    long started = System.nanoTime();
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(HubApplication.class)
            .web(WebApplicationType.NONE)
            .run(springArgs.toArray(String[]::new));
    long ready = System.nanoTime();
    double startCpu =
        ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    Map<String, Object> summary = new TreeMap<>();
    try {
      Preload preload = new Preload(context);
      preload.relaxEmbeddedDurability();
      Workload workload = new Workload("pre" + UUID.randomUUID().toString().substring(0, 6), true);
      preload.history(workload, messages, batch);
      long historyDone = System.nanoTime();
      long historyMessages = preload.accepted;
      preload.backlog(workload, waiting, smallWaiting, batch);
      long done = System.nanoTime();
      double cpu =
          ProcessHandle.current()
              .info()
              .totalCpuDuration()
              .map(d -> d.toNanos() / 1e9)
              .orElse(-1.0);
      // CPU per message does not depend on what else the machine runs: extrapolate from it
      summary.put("cpuSeconds", cpu);
      summary.put(
          "cpuMsPerMessage", preload.accepted > 0 ? 1000 * (cpu - startCpu) / preload.accepted : 0);
      summary.put("historyMessages", historyMessages);
      summary.put("historySeconds", (historyDone - ready) / 1e9);
      summary.put("acceptedMessages", preload.accepted);
      summary.put("storeSeconds", preload.storeNanos / 1e9);
      summary.put("acknowledgeSeconds", preload.acknowledgeNanos / 1e9);
      summary.put("deliveries", preload.deliveries);
      summary.put("acknowledgedDeliveries", preload.acknowledged);
      summary.put("waitingMessages", waiting);
      summary.put("waitingByRecipient", preload.waiting());
      summary.put("contextStartSeconds", (ready - started) / 1e9);
      summary.put("seconds", (done - ready) / 1e9);
      summary.put(
          "messagesPerSecond", (done - ready) > 0 ? preload.accepted / ((done - ready) / 1e9) : 0);
    } finally {
      context.close();
    }
    summary.put("totalSeconds", (System.nanoTime() - started) / 1e9);
    String json = AgencyClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
    System.out.println("preload: " + json);
    if (s.containsKey("out")) {
      Files.writeString(Path.of(s.get("out")), json, StandardCharsets.UTF_8);
    }
    System.exit(0); // the broker's and Camel's non-daemon threads must not keep the JVM
  }

  /**
   * On H2, writes the store to the file every half second instead of at every commit, for the
   * preload only (the hub sets {@code WRITE_DELAY=0} again when it opens the database): with a
   * store per commit, and a commit per identity sequence flush, every batch rewrote its pages
   * hundreds of times (80% of the preload's time in {@code MVStore.store}). The rows are the same;
   * only when they reach the file differs, and the preload ends with a clean close.
   */
  private void relaxEmbeddedDurability() {
    org.springframework.jdbc.core.JdbcTemplate jdbc =
        context.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
    String product =
        jdbc.execute(
            (org.springframework.jdbc.core.ConnectionCallback<String>)
                connection -> connection.getMetaData().getDatabaseProductName());
    if ("H2".equals(product)) {
      jdbc.execute("SET WRITE_DELAY 500");
    }
  }

  /** {@code count} messages of the benchmark's mix, every delivery acknowledged. */
  private void history(Workload workload, int count, int batch) {
    long stored = 0;
    long lastReport = System.nanoTime();
    while (stored < count) {
      int size = (int) Math.min(batch, count - stored);
      storeBatch(size, workload::next, workload::accepted);
      stored += size;
      for (String agency : DefaultAgencies.CODES) {
        acknowledgeAll(agency, 0);
      }
      if (System.nanoTime() - lastReport > 10e9 || stored == count) {
        lastReport = System.nanoTime();
        System.out.printf(
            "preload: %d of %d history messages stored (%.1f s storing, %.1f s acknowledging)%n",
            stored, count, storeNanos / 1e9, acknowledgeNanos / 1e9);
      }
    }
  }

  /**
   * {@code count} case transfers left waiting for the police; the procuratorate acknowledges all
   * but {@code keep}.
   */
  private void backlog(Workload workload, int count, int keep, int batch) {
    int stored = 0;
    while (stored < count) {
      int size = Math.min(batch, count - stored);
      storeBatch(size, workload::transfer, task -> {});
      stored += size;
    }
    acknowledgeAll(SMALL_RECIPIENT, keep);
    System.out.printf("preload: %d case transfers left waiting%n", count);
  }

  /** Stores {@code size} messages in one transaction, each through the accepting steps. */
  private void storeBatch(
      int size, Supplier<Workload.Task> next, java.util.function.Consumer<Workload.Task> onStored) {
    long start = System.nanoTime();
    transaction.executeWithoutResult(
        status -> {
          for (int i = 0; i < size; i++) {
            Workload.Task task = next.get();
            Submission message = accept(task);
            deliveries += message.outcome().recipients().size();
            accepted++;
            onStored.accept(task);
          }
        });
    storeNanos += System.nanoTime() - start;
  }

  /**
   * The steps of IngestRoutes' accepting transaction, in its order, after the parse and the
   * fingerprints; a refusal aborts the preload (the workload only sends what the rules accept).
   */
  private Submission accept(Workload.Task task) {
    Agency caller =
        agencies
            .find(task.sender())
            .orElseThrow(() -> new IllegalStateException("unknown sender " + task.sender()));
    Submission message = new Submission(caller, task.body());
    envelope.check(message);
    String caseNumber = message.caseNumber();
    // what PayloadValidation derives once the schema passed
    message.caseKey(caseNumber == null ? null : CaseNumbers.key(caseNumber));
    dedup.fingerprint(message);
    Instant now = clock.instant();
    authorization.lockCase(message, now);
    message.assessment(assessor.assess(message));
    message.routing(router.route(message));
    store.accept(message);
    assessor.recordPenalty(message);
    deadlines.track(message, now);
    if (message.outcomeStatus() != 202) {
      throw new IllegalStateException(
          "message " + message.messageId() + " answered " + message.outcomeStatus());
    }
    return message;
  }

  /** Pulls and acknowledges the recipient's inbox until only {@code keep} deliveries wait. */
  private void acknowledgeAll(String recipient, int keep) {
    long start = System.nanoTime();
    try {
      acknowledgeDownTo(recipient, keep);
    } finally {
      acknowledgeNanos += System.nanoTime() - start;
    }
  }

  private void acknowledgeDownTo(String recipient, int keep) {
    // counted only when some must stay: a count per recipient and batch cost as much as the rest
    int waiting = keep > 0 ? waitingFor(recipient) : Integer.MAX_VALUE;
    while (waiting > keep) {
      int limit = (int) Math.min(500, (long) waiting - keep);
      List<Inbox.Item> items = inbox.pull(recipient, limit);
      if (!items.isEmpty()) {
        List<String> ids = items.stream().map(Inbox.Item::deliveryId).toList();
        acknowledged += inbox.acknowledge(recipient, ids).acknowledged().size();
      }
      if (items.size() < limit) {
        return;
      }
      waiting -= items.size();
    }
  }

  /** How many deliveries wait for the recipient; read-only, to know when to stop pulling. */
  private int waitingFor(String recipient) {
    Integer count =
        context
            .getBean(org.springframework.jdbc.core.JdbcTemplate.class)
            .queryForObject(
                "SELECT COUNT(*) FROM delivery WHERE recipient = ?"
                    + " AND state IN ('QUEUED', 'DELIVERED')",
                Integer.class,
                recipient);
    return count == null ? 0 : count;
  }

  private Map<String, Integer> waiting() {
    Map<String, Integer> byRecipient = new TreeMap<>();
    for (String agency : DefaultAgencies.CODES) {
      int count = waitingFor(agency);
      if (count > 0) {
        byRecipient.put(agency, count);
      }
    }
    return byRecipient;
  }

  private static String required(Map<String, String> s, String key) {
    String value = s.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + "= is required");
    }
    return value;
  }
}
