package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.bench.AgencyClient.Delivery;
import cn.gov.honghu.hub.bench.BenchHub.Database;
import cn.gov.honghu.hub.bench.Benchmark.Figure;
import cn.gov.honghu.hub.bench.Benchmark.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The history mode (issue 15, HUB-SPEC section 10 "Storage stays proportional"): the benchmark's
 * figures with a million messages behind them, beside the same figures on an empty store.
 *
 * <p>For each of two stores, empty first: a fresh store ({@link Stores}); the preload ({@link
 * Preload}, in its own JVM, before the hub starts) of {@code history-messages} acknowledged
 * messages (none for the empty store) and then {@code history-waiting} case transfers waiting for
 * the police, of which the procuratorate keeps one pull's worth; the hub's start on that store; the
 * answer time of {@code pull-samples} pulls of the default limit by the procuratorate (a full page
 * behind nothing but acknowledged history) and by the police (behind the backlog); the backlog
 * drained; the full mode's phases (not the broker ceiling, which no store changes); then a graceful
 * stop and a restart, timed to readiness. Writes {@code history-<store>.json} and prints a table.
 */
final class History {

  private History() {}

  /** One store's figures. */
  record StoreRun(
      String label,
      JsonNode preload,
      double preloadWallSeconds,
      long storeBytesAfterPreload,
      double firstStartSeconds,
      int backlogWaiting,
      Samples backlogPulls,
      int smallWaiting,
      Samples historyPulls,
      long drained,
      double drainSeconds,
      Run run,
      double restartSeconds,
      long storeBytesAtEnd) {

    long preloaded() {
      return preload.path("acceptedMessages").asLong();
    }

    long storedAtEnd() {
      return preloaded() + Benchmark.accepted(run);
    }
  }

  /** What the history mode produced. */
  record Report(Options options, List<StoreRun> stores, List<String> problems, Path json) {}

  /** A row of the table: how to read it from one store's run. */
  private record Row(String key, String label, String unit, Function<StoreRun, Double> value) {}

  private static final List<Row> ROWS = rows();

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(
        new Row(
            "preloadedMessages",
            "messages stored before the hub started",
            "msg",
            s -> (double) s.preloaded()));
    rows.add(
        new Row(
            "preloadMsgPerSec",
            "  preload rate (store path, batched transactions)",
            "msg/s",
            s -> s.preload().path("messagesPerSecond").asDouble()));
    rows.add(new Row("preloadSeconds", "  preload wall time", "s", StoreRun::preloadWallSeconds));
    rows.add(
        new Row(
            "storeMibAfterPreload",
            "store size after the preload",
            "MiB",
            s -> s.storeBytesAfterPreload() / 1048576.0));
    rows.add(
        new Row(
            "firstStartSeconds",
            "hub start to ready on the preloaded store",
            "s",
            StoreRun::firstStartSeconds));
    rows.add(
        new Row(
            "historyPullP50Ms",
            "pull of one page, only history behind it, p50",
            "ms",
            s -> s.historyPulls().percentileMs(0.50)));
    rows.add(
        new Row(
            "historyPullP99Ms",
            "pull of one page, only history behind it, p99",
            "ms",
            s -> s.historyPulls().percentileMs(0.99)));
    rows.add(
        new Row(
            "backlogPullP50Ms",
            "pull of one page, backlog waiting, p50",
            "ms",
            s -> s.backlogPulls().percentileMs(0.50)));
    rows.add(
        new Row(
            "backlogPullP99Ms",
            "pull of one page, backlog waiting, p99",
            "ms",
            s -> s.backlogPulls().percentileMs(0.99)));
    rows.add(
        new Row(
            "backlogDrainPerSec",
            "backlog drained by its recipients (pull, ack)",
            "/s",
            s -> s.drainSeconds() > 0 ? s.drained() / s.drainSeconds() : 0));
    for (Figure figure : Benchmark.FIGURES) {
      if (figure.key().startsWith("ceiling") || figure.key().equals("hubCeilingRatio")) {
        continue; // the raw broker does not change with the hub's store
      }
      if (figure.key().equals("coldStartSeconds")) {
        continue; // the first start above
      }
      rows.add(
          new Row(figure.key(), figure.label(), figure.unit(), s -> figure.value().apply(s.run())));
    }
    rows.add(
        new Row("restartSeconds", "restart to ready after the run", "s", StoreRun::restartSeconds));
    rows.add(
        new Row("storedAtEnd", "messages stored at the end", "msg", s -> (double) s.storedAtEnd()));
    rows.add(
        new Row(
            "storeMibAtEnd", "store size at the end", "MiB", s -> s.storeBytesAtEnd() / 1048576.0));
    rows.add(
        new Row(
            "storeBytesPerMessage",
            "  per stored message",
            "B",
            s -> s.storedAtEnd() > 0 ? (double) s.storeBytesAtEnd() / s.storedAtEnd() : 0));
    return rows;
  }

  /** Figures that are legitimately zero (the empty store's preload). */
  static boolean mayBeZero(String key, boolean empty) {
    return key.equals("alertLaneQueuedAtEnd")
        || (empty && (key.equals("preloadedMessages") || key.startsWith("preload")));
  }

  static List<String> keys() {
    return ROWS.stream().map(Row::key).toList();
  }

  static double value(String key, StoreRun store) {
    return ROWS.stream()
        .filter(row -> row.key().equals(key))
        .findFirst()
        .orElseThrow()
        .value()
        .apply(store);
  }

  static Report run(Options options) throws Exception {
    Benchmark.quietBrokerLogging();
    Files.createDirectories(options.out());
    String loadAverage = Benchmark.Machine.loadAverage();
    String store = Stores.tag(options.database());
    System.out.printf(
        "ecohub benchmark: history mode on %s, %,d messages of history, %,d waiting, output %s%n",
        Stores.describe(options.database()),
        options.historyMessages(),
        options.historyWaiting(),
        options.out());
    List<String> problems = new ArrayList<>();
    List<StoreRun> stores = new ArrayList<>();
    stores.add(storeRun(options, "empty", 0, 1, problems));
    stores.add(storeRun(options, "history", options.historyMessages(), 2, problems));
    String table = table(options, loadAverage, stores, problems);
    System.out.print(table);
    Path json = options.out().resolve("history-" + store + ".json");
    Files.writeString(
        json,
        AgencyClient.JSON
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(json(options, loadAverage, stores, problems)),
        StandardCharsets.UTF_8);
    Files.writeString(
        options.out().resolve("history-" + store + ".txt"), table, StandardCharsets.UTF_8);
    System.out.println("written: " + json);
    return new Report(options, stores, problems, json);
  }

  private static StoreRun storeRun(
      Options options, String label, int history, int number, List<String> problems)
      throws Exception {
    Path dataDir = Files.createTempDirectory("ecohub-bench-" + label + "-");
    Database database =
        options.database() == null ? null : Stores.createBeside(options.database(), label);
    String prefix = "history-" + Stores.tag(options.database()) + "-" + label;
    try {
      long preloadStart = System.nanoTime();
      JsonNode preload = preload(options, dataDir, database, history, prefix);
      double preloadWall = (System.nanoTime() - preloadStart) / 1e9;
      long bytesAfterPreload = Stores.storeBytes(database, dataDir);
      System.out.printf(
          "%s: preloaded %,d messages in %.0f s (%.0f msg/s), store %.1f MiB%n",
          label,
          preload.path("acceptedMessages").asLong(),
          preloadWall,
          preload.path("messagesPerSecond").asDouble(),
          bytesAfterPreload / 1048576.0);
      BenchHub hub =
          BenchHub.start(
              options.jar(),
              dataDir,
              options.hubJvmOptions(),
              database,
              Duration.ofMinutes(10)); // a slow start on a large store is a figure, not a failure
      double firstStart = hub.coldStart().toNanos() / 1e9;
      Samples historyPulls;
      Samples backlogPulls;
      long drained;
      double drainSeconds;
      Run run;
      try {
        Properties keys = hub.devKeys();
        AgencyClient small = client(hub, keys, Preload.SMALL_RECIPIENT, options);
        AgencyClient backlog = client(hub, keys, Preload.BACKLOG_RECIPIENT, options);
        historyPulls = timePulls(small, options.pullSamples(), label, problems);
        backlogPulls = timePulls(backlog, options.pullSamples(), label, problems);
        long drainStart = System.nanoTime();
        drained = drain(small) + drain(backlog);
        drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        long expected =
            preload.path("waitingByRecipient").path("police").asLong()
                + preload.path("waitingByRecipient").path("procuratorate").asLong();
        if (drained != expected) {
          problems.add(
              label + ": drained " + drained + " waiting deliveries, expected " + expected);
        }
        System.out.printf(
            "%s: start %.1f s, pull p50 %.0f ms behind history, %.0f ms behind %,d waiting;"
                + " drained %,d in %.0f s%n",
            label,
            firstStart,
            historyPulls.percentileMs(0.5),
            backlogPulls.percentileMs(0.5),
            preload.path("waitingByRecipient").path("police").asLong(),
            drained,
            drainSeconds);
        run = Benchmark.phases(options, hub, number, problems);
      } finally {
        hub.close();
      }
      // the restart of section 10: the same store, after a graceful stop, timed to readiness
      BenchHub restarted =
          BenchHub.start(
              options.jar(), dataDir, options.hubJvmOptions(), database, Duration.ofMinutes(10));
      double restart = restarted.coldStart().toNanos() / 1e9;
      restarted.close();
      long bytesAtEnd = Stores.storeBytes(database, dataDir);
      System.out.printf(
          "%s: restart to ready %.1f s, store %.1f MiB at the end%n",
          label, restart, bytesAtEnd / 1048576.0);
      return new StoreRun(
          label,
          preload,
          preloadWall,
          bytesAfterPreload,
          firstStart,
          (int) preload.path("waitingByRecipient").path("police").asLong(),
          backlogPulls,
          (int) preload.path("waitingByRecipient").path("procuratorate").asLong(),
          historyPulls,
          drained,
          drainSeconds,
          run,
          restart,
          bytesAtEnd);
    } finally {
      if (Files.exists(dataDir.resolve("hub.log"))) {
        Files.copy(
            dataDir.resolve("hub.log"),
            options.out().resolve(prefix + "-hub.log"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Benchmark.deleteTree(dataDir);
      if (database != null && !options.keepDatabase()) {
        Stores.drop(options.database(), database);
      }
    }
  }

  /** Runs {@link Preload} in a JVM of its own on this JVM's classpath; returns its summary. */
  private static JsonNode preload(
      Options options, Path dataDir, Database database, int history, String prefix)
      throws Exception {
    Path summary = options.out().resolve(prefix + "-preload.json");
    Path log = options.out().resolve(prefix + "-preload.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.preloadJvmOptions());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Preload.class.getName());
    command.add("data-dir=" + dataDir);
    command.add("messages=" + history);
    command.add("waiting=" + options.historyWaiting());
    command.add("small-waiting=" + options.pullLimit());
    command.add("batch=" + options.historyBatch());
    command.add("out=" + summary);
    if (database != null) {
      command.add("db-url=" + database.url());
      command.add("db-user=" + database.user());
      command.add("db-password=" + (database.password() == null ? "" : database.password()));
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("HUB_"));
    Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = process.waitFor();
    if (exit != 0 || !Files.exists(summary)) {
      throw new IllegalStateException("the preload failed (exit " + exit + "); see " + log);
    }
    return AgencyClient.JSON.readTree(Files.readString(summary));
  }

  private static AgencyClient client(
      BenchHub hub, Properties keys, String agency, Options options) {
    return new AgencyClient(hub.baseUrl(), agency, keys.getProperty(agency), options.pullLimit());
  }

  /**
   * Answer times of {@code count} pulls, one after the other, nothing acknowledged: each hands out
   * the same first page again, so every pull answers with a full page from the same backlog.
   */
  private static Samples timePulls(
      AgencyClient client, int count, String label, List<String> problems) throws Exception {
    Samples times = new Samples();
    for (int i = 0; i < count; i++) {
      long asked = System.nanoTime();
      List<Delivery> page = client.pull();
      times.add(System.nanoTime() - asked);
      if (page.isEmpty()) {
        problems.add(label + ": the " + client.code + " inbox was empty");
        break;
      }
    }
    return times;
  }

  /** Pulls and acknowledges until the inbox is empty; returns the deliveries acknowledged. */
  private static long drain(AgencyClient client) throws Exception {
    long acknowledged = 0;
    List<Delivery> page;
    while (!(page = client.pull()).isEmpty()) {
      acknowledged += client.acknowledge(page.stream().map(Delivery::deliveryId).toList()).size();
    }
    return acknowledged;
  }

  private static String table(
      Options options, String loadAverage, List<StoreRun> stores, List<String> problems) {
    StringBuilder out = new StringBuilder();
    Benchmark.Machine machine = Benchmark.Machine.describe();
    out.append(
        String.format(
            Locale.ROOT,
            "%n== ecohub benchmark, history mode (%s; %,d messages of history, %,d waiting for"
                + " the police) ==%n",
            Stores.describe(options.database()),
            options.historyMessages(),
            options.historyWaiting()));
    out.append(
        String.format(
            Locale.ROOT,
            "machine: %d cores (%s), %.1f GiB memory, Java %s; load average before the run: %s%n",
            machine.cores(),
            machine.cpu(),
            machine.memoryMib() / 1024.0,
            machine.java(),
            loadAverage));
    out.append(String.format(Locale.ROOT, "%-55s %-6s", "figure", "unit"));
    stores.forEach(s -> out.append(String.format(Locale.ROOT, " %12s", s.label())));
    out.append('\n');
    for (Row row : ROWS) {
      out.append(String.format(Locale.ROOT, "%-55s %-6s", row.label(), row.unit()));
      for (StoreRun store : stores) {
        out.append(String.format(Locale.ROOT, " %12s", format(row.value().apply(store))));
      }
      out.append('\n');
    }
    if (problems.isEmpty()) {
      out.append("problems: none\n");
    } else {
      problems.forEach(p -> out.append("PROBLEM: ").append(p).append('\n'));
    }
    return out.toString();
  }

  private static String format(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%,.0f", value);
  }

  private static ObjectNode json(
      Options options, String loadAverage, List<StoreRun> stores, List<String> problems) {
    ObjectNode root = AgencyClient.JSON.createObjectNode();
    root.put("benchmark", "ecohub history mode");
    root.put("store", Stores.describe(options.database()));
    root.put("loadAverageAtStart", loadAverage);
    ObjectNode settings = root.putObject("settings");
    settings.put("historyMessages", options.historyMessages());
    settings.put("historyWaiting", options.historyWaiting());
    settings.put("historyBatch", options.historyBatch());
    settings.put("pullLimit", options.pullLimit());
    settings.put("pullSamples", options.pullSamples());
    settings.put("concurrency", options.concurrency());
    settings.put("alertBacklog", options.alertBacklog());
    settings.put("hubJvmOptions", String.join(" ", options.hubJvmOptions()));
    ObjectNode figures = root.putObject("figures");
    Map<String, ObjectNode> byKey = new LinkedHashMap<>();
    for (Row row : ROWS) {
      ObjectNode f = figures.putObject(row.key());
      f.put("label", row.label().trim());
      f.put("unit", row.unit());
      byKey.put(row.key(), f);
      for (StoreRun store : stores) {
        f.put(store.label(), Benchmark.round(row.value().apply(store)));
      }
    }
    for (StoreRun store : stores) {
      ObjectNode s = root.putObject(store.label());
      s.set("preload", store.preload());
      s.set("historyPullAnswerMs", Benchmark.percentiles(store.historyPulls()));
      s.set("backlogPullAnswerMs", Benchmark.percentiles(store.backlogPulls()));
      s.put("posted", Benchmark.posted(store.run()));
      s.put("accepted", Benchmark.accepted(store.run()));
      s.put("expectedDeliveries", Benchmark.expected(store.run()));
      s.put("acknowledgedDeliveries", Benchmark.acknowledged(store.run()));
      s.put("lost", Benchmark.lost(store.run()));
      s.put("doubled", Benchmark.doubled(store.run()));
    }
    problems.forEach(root.putArray("problems")::add);
    return root;
  }
}
