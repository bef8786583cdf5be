package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.bench.Load.Drainers;
import cn.gov.honghu.hub.bench.Load.PhaseResult;
import cn.gov.honghu.hub.bench.Samples.Spread;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hub's benchmark (README "Performance"): starts the packaged hub as a user does, drives it
 * over real HTTP on loopback from this JVM with the nine agencies posting and draining
 * concurrently, and measures against the raw broker on the same machine in the same run.
 *
 * <p>Each run: a fresh hub (cold start to readiness), a closed-loop warm-up, the closed-loop
 * throughput phase (posts to acknowledged delivery at every recipient), the open-loop accept
 * latency phase at half that throughput, the hub's peak RSS, the alert lane ({@link AlertLane}:
 * alert latency behind a backlog of case messages), then the broker ceiling. Prints a table
 * (min/median/max over the runs) and writes {@code benchmark.json} to the output directory.
 *
 * <p>Run: {@code ./mvnw -B -Pbench -pl hub -am verify -DskipTests} (see README), or with the jar
 * built: {@code java -cp <hub test classpath> cn.gov.honghu.hub.bench.Benchmark [mode=smoke]
 * [key=value...]} ({@link Options}).
 */
public final class Benchmark {

  private Benchmark() {}

  /** One run's figures. */
  record Run(
      int number,
      double coldStartSeconds,
      double peakRssMib,
      double rssAfterMib,
      PhaseResult warmup,
      PhaseResult throughput,
      PhaseResult latency,
      AlertLane.Result alertLane,
      double peakRssAfterAlertLaneMib,
      BrokerCeiling.Result ceiling,
      long drainerPulls,
      long drainerErrors,
      double hubCpuSeconds,
      double loadCpuSeconds) {

    /** The hub's CPU time per message of the throughput phase, in milliseconds. */
    double hubCpuMsPerMessage() {
      return throughput.accepted() > 0 ? 1000 * hubCpuSeconds / throughput.accepted() : 0;
    }

    /** 0 when the ceiling was measured as zero, NaN when it was not measured. */
    double ratio() {
      if (ceiling == null) {
        return Double.NaN;
      }
      return ceiling.throughput() > 0 ? throughput.throughput() / ceiling.throughput() : 0;
    }

    double ceilingThroughput() {
      return ceiling == null ? Double.NaN : ceiling.throughput();
    }

    Run withCeiling(BrokerCeiling.Result measured) {
      return new Run(
          number,
          coldStartSeconds,
          peakRssMib,
          rssAfterMib,
          warmup,
          throughput,
          latency,
          alertLane,
          peakRssAfterAlertLaneMib,
          measured,
          drainerPulls,
          drainerErrors,
          hubCpuSeconds,
          loadCpuSeconds);
    }
  }

  /**
   * A figure of the table: label, unit, how to read it from a run; {@code mayBeZero} for a count
   * that is legitimately zero in a short run.
   */
  record Figure(
      String key, String label, String unit, Function<Run, Double> value, boolean mayBeZero) {
    Figure(String key, String label, String unit, Function<Run, Double> value) {
      this(key, label, unit, value, false);
    }
  }

  /** Everything a benchmark produced. */
  record Report(
      Options options,
      List<Run> runs,
      Map<String, Spread> summary,
      List<String> problems,
      String table,
      Path json) {}

  static final List<Figure> FIGURES =
      List.of(
          new Figure(
              "throughputMsgPerSec",
              "end-to-end throughput (POST to ack at every recipient)",
              "msg/s",
              r -> r.throughput().throughput()),
          new Figure(
              "deliveriesPerSec",
              "  deliveries acknowledged",
              "/s",
              r -> r.throughput().deliveriesPerSecond()),
          new Figure(
              "hubCpuMsPerMessage",
              "  hub CPU time per message (2 cores shared)",
              "ms",
              Run::hubCpuMsPerMessage),
          new Figure(
              "saturatedPostP50Ms",
              "  POST answer time under saturation, p50",
              "ms",
              r -> r.throughput().acceptLatency().percentileMs(0.50)),
          new Figure(
              "saturatedAlertE2eP50Ms",
              "  alert POST to last ack, p50 (backlog)",
              "ms",
              r -> r.throughput().check().alertE2e().percentileMs(0.50)),
          new Figure(
              "saturatedCaseE2eP50Ms",
              "  case message POST to last ack, p50 (backlog)",
              "ms",
              r -> r.throughput().check().caseE2e().percentileMs(0.50)),
          new Figure(
              "latencyRateMsgPerSec",
              "open-loop arrival rate (50% of throughput)",
              "msg/s",
              r -> r.latency().targetRate()),
          new Figure(
              "acceptP50Ms",
              "accept latency p50",
              "ms",
              r -> r.latency().acceptLatency().percentileMs(0.50)),
          new Figure(
              "acceptP95Ms",
              "accept latency p95",
              "ms",
              r -> r.latency().acceptLatency().percentileMs(0.95)),
          new Figure(
              "acceptP99Ms",
              "accept latency p99",
              "ms",
              r -> r.latency().acceptLatency().percentileMs(0.99)),
          new Figure(
              "acceptMaxMs", "accept latency max", "ms", r -> r.latency().acceptLatency().maxMs()),
          new Figure(
              "deliveryP50Ms",
              "  POST to last ack p50 (open loop, 100 ms polls)",
              "ms",
              r -> r.latency().check().caseE2e().percentileMs(0.50)),
          new Figure(
              "alertLaneQueuedAtStart",
              "alert lane: case messages queued at the first alert",
              "msg",
              r -> (double) r.alertLane().queuedAtStart().messages()),
          new Figure(
              "alertLaneQueuedAtEnd",
              "  still queued when the last alert had been pulled",
              "msg",
              r -> (double) r.alertLane().queuedAtEnd().messages(),
              true),
          new Figure(
              "alertLaneRateAlertsPerSec",
              "  alert arrival rate (open loop)",
              "/s",
              r -> r.alertLane().alertRate()),
          new Figure(
              "alertLanePulledP50Ms",
              "  alert POST to pulled by every recipient, p50",
              "ms",
              r -> r.alertLane().alertPulled().percentileMs(0.50)),
          new Figure(
              "alertLanePulledP95Ms",
              "  alert POST to pulled by every recipient, p95",
              "ms",
              r -> r.alertLane().alertPulled().percentileMs(0.95)),
          new Figure(
              "alertLanePulledP99Ms",
              "  alert POST to pulled by every recipient, p99",
              "ms",
              r -> r.alertLane().alertPulled().percentileMs(0.99)),
          new Figure(
              "alertLanePulledMaxMs",
              "  alert POST to pulled by every recipient, max",
              "ms",
              r -> r.alertLane().alertPulled().maxMs()),
          new Figure(
              "alertLaneBusyPullP50Ms",
              "  inbox pull answer time while draining, p50",
              "ms",
              r -> r.alertLane().busyPullTimes().percentileMs(0.50)),
          new Figure(
              "alertLaneAckedP99Ms",
              "  alert POST to acknowledged by every recipient, p99",
              "ms",
              r -> r.alertLane().alertAcknowledged().percentileMs(0.99)),
          new Figure(
              "ceilingMsgPerSec",
              "broker ceiling: raw Artemis persistent send+receive",
              "msg/s",
              Run::ceilingThroughput),
          new Figure("hubCeilingRatio", "hub/ceiling ratio", "", Run::ratio),
          new Figure("peakRssMib", "hub peak RSS (VmHWM)", "MiB", Run::peakRssMib),
          new Figure("coldStartSeconds", "hub cold start to ready", "s", Run::coldStartSeconds));

  public static void main(String[] args) throws Exception {
    Options options = Options.from(args);
    List<String> problems =
        switch (options.mode()) {
          case "history" -> History.run(options).problems();
          case "soak" -> Soak.run(options).problems();
          default -> run(options).problems();
        };
    // the hub's own threads are gone; the HTTP clients' selector threads must not keep the JVM
    System.exit(problems.isEmpty() ? 0 : 1);
  }

  /** Runs the benchmark, prints the table and writes the JSON file. */
  static Report run(Options options) throws Exception {
    quietBrokerLogging();
    String loadAverageAtStart = Machine.loadAverage();
    Files.createDirectories(options.out());
    Instant started = Instant.now();
    System.out.printf(
        "ecohub benchmark: mode %s, %d run(s), %d concurrent posters, hub %s, output %s%n",
        options.mode(), options.runs(), options.concurrency(), options.jar(), options.out());
    List<Run> runs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int number = 1; number <= options.runs(); number++) {
      Run run = runOnce(options, number, problems);
      runs.add(run);
      System.out.printf(
          "run %d: cold start %.2f s, %.0f msg/s end to end (%d messages, %d deliveries),"
              + " accept p99 %.1f ms at %.0f msg/s, alert p99 %.0f ms to pulled behind %d case"
              + " messages (%d left), ceiling %.0f msg/s, ratio %.2f, peak RSS %.0f MiB%n",
          number,
          run.coldStartSeconds(),
          run.throughput().throughput(),
          run.throughput().accepted(),
          run.throughput().acknowledgedDeliveries(),
          run.latency().acceptLatency().percentileMs(0.99),
          run.latency().targetRate(),
          run.alertLane().alertPulled().percentileMs(0.99),
          run.alertLane().queuedAtStart().messages(),
          run.alertLane().queuedAtEnd().messages(),
          run.ceiling().throughput(),
          run.ratio(),
          run.peakRssMib());
    }
    Map<String, Spread> summary = new LinkedHashMap<>();
    for (Figure figure : FIGURES) {
      summary.put(figure.key(), Spread.of(runs.stream().map(figure.value()).toList()));
    }
    String table = table(options, loadAverageAtStart, runs, summary, problems);
    System.out.print(table);
    Path json = options.out().resolve("benchmark.json");
    Files.writeString(
        json,
        AgencyClient.JSON
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(
                json(options, started, loadAverageAtStart, runs, summary, problems)),
        StandardCharsets.UTF_8);
    System.out.println("written: " + json);
    return new Report(options, runs, summary, problems, table, json);
  }

  private static Run runOnce(Options options, int number, List<String> problems) throws Exception {
    Path dataDir = Files.createTempDirectory("ecohub-bench-");
    List<String> jvm = new ArrayList<>(options.hubJvmOptions());
    if (options.jfr() && number == 1) {
      Path recording = options.out().resolve("hub-run1.jfr");
      jvm.add(
          "-XX:FlightRecorderOptions=stackdepth=256"); // Camel + Spring + Tomcat stacks are deep
      jvm.add(
          "-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
    }
    BenchHub hub =
        BenchHub.start(options.jar(), dataDir, jvm, options.database(), Duration.ofSeconds(120));
    Run phases;
    try {
      phases = phases(options, hub, number, problems);
    } finally {
      hub.close();
      Files.copy(
          dataDir.resolve("hub.log"),
          options.out().resolve("hub-run" + number + ".log"),
          StandardCopyOption.REPLACE_EXISTING);
      deleteTree(dataDir);
    }
    BrokerCeiling.Result ceiling = ceiling(options, number, problems);
    return phases.withCeiling(ceiling);
  }

  /**
   * The load phases of a run on a started hub: warm-up, throughput, latency, peak RSS, alert lane;
   * the returned run has no ceiling yet (the history mode leaves it out: the broker is the same
   * with or without history).
   */
  static Run phases(Options options, BenchHub hub, int number, List<String> problems)
      throws Exception {
    double coldStart = hub.coldStart().toNanos() / 1e9;
    PhaseResult warmup = null;
    PhaseResult throughput;
    PhaseResult latency;
    AlertLane.Result alertLane;
    double peakRss;
    double peakRssAfterAlertLane;
    double rssAfter;
    long pulls;
    long drainErrors;
    double hubCpu;
    double loadCpu;
    Map<String, AgencyClient> clients = clients(hub, options);
    Workload workload = new Workload(UUID.randomUUID().toString().substring(0, 8));
    try (Drainers drainers = new Drainers(clients, options.idle(), new Ledger())) {
      if (!options.warmup().isZero()) {
        warmup =
            Load.closedLoop(
                "warmup",
                workload,
                clients,
                drainers,
                options.concurrency(),
                options.warmup(),
                options.warmupMax(),
                options.drainTimeout());
        verify(number, warmup, problems);
      }
      double hubCpuBefore = hub.cpuSeconds();
      double loadCpuBefore = ownCpuSeconds();
      throughput =
          Load.closedLoop(
              "throughput",
              workload,
              clients,
              drainers,
              options.concurrency(),
              options.throughput(),
              options.throughputMax(),
              options.drainTimeout());
      hubCpu = hub.cpuSeconds() - hubCpuBefore;
      loadCpu = ownCpuSeconds() - loadCpuBefore;
      verify(number, throughput, problems);
      double rate = Math.max(1, options.latencyLoad() * throughput.throughput());
      latency =
          Load.openLoop(
              "latency",
              workload,
              clients,
              drainers,
              rate,
              options.latency(),
              options.drainTimeout());
      verify(number, latency, problems);
      peakRss = hub.peakRssKib() / 1024.0;
      rssAfter = hub.rssKib() / 1024.0;
      pulls = drainers.pulls();
      drainErrors = drainers.errors();
    }
    // after the drainers stopped: the backlog must queue undrained
    alertLane = AlertLane.run(workload, clients, options);
    verify(number, alertLane.phase(), problems);
    peakRssAfterAlertLane = hub.peakRssKib() / 1024.0;
    if (drainErrors > 0) {
      problems.add("run " + number + ": " + drainErrors + " inbox pulls or acks failed");
    }
    if (alertLane.drainerErrors() > 0) {
      problems.add(
          "run "
              + number
              + " alert lane: "
              + alertLane.drainerErrors()
              + " inbox pulls or acks failed");
    }
    return new Run(
        number,
        coldStart,
        peakRss,
        rssAfter,
        warmup,
        throughput,
        latency,
        alertLane,
        peakRssAfterAlertLane,
        null,
        pulls,
        drainErrors,
        hubCpu,
        loadCpu);
  }

  /** One client per agency, with the dev keys the hub wrote on its first start. */
  static Map<String, AgencyClient> clients(BenchHub hub, Options options) throws IOException {
    Properties keys = hub.devKeys();
    Map<String, AgencyClient> clients = new LinkedHashMap<>();
    for (String agency : Workload.AGENCIES) {
      clients.put(
          agency,
          new AgencyClient(hub.baseUrl(), agency, keys.getProperty(agency), options.pullLimit()));
    }
    return clients;
  }

  /** CPU time of this JVM (the load generator) so far, in seconds. */
  private static double ownCpuSeconds() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(cpu -> cpu.toNanos() / 1e9)
        .orElse(-1.0);
  }

  private static BrokerCeiling.Result ceiling(Options options, int number, List<String> problems)
      throws Exception {
    Path dir = Files.createTempDirectory("ecohub-bench-broker-");
    try (BrokerCeiling broker = new BrokerCeiling(dir)) {
      List<byte[]> bodies = new Workload("ceiling").sampleBodies(1000);
      if (!options.ceilingWarmup().isZero()) {
        broker.measure(
            bodies,
            Workload.AGENCIES,
            options.concurrency(),
            options.ceilingWarmup(),
            options.ceilingMax(),
            options.drainTimeout());
      }
      BrokerCeiling.Result result =
          broker.measure(
              bodies,
              Workload.AGENCIES,
              options.concurrency(),
              options.ceiling(),
              options.ceilingMax(),
              options.drainTimeout());
      if (result.received() < result.sent()) {
        problems.add(
            "run "
                + number
                + ": the broker ceiling received "
                + result.received()
                + " of "
                + result.sent());
      }
      return result;
    } finally {
      deleteTree(dir);
    }
  }

  /** The promise of every 202, checked for every phase (never a speed). */
  static void verify(int number, PhaseResult phase, List<String> problems) {
    String where = "run " + number + " " + phase.name() + ": ";
    if (phase.accepted() == 0) {
      problems.add(where + "no message was accepted");
    }
    if (!phase.complete()) {
      problems.add(
          where
              + phase.acknowledgedDeliveries()
              + " of "
              + phase.expectedDeliveries()
              + " deliveries acknowledged before the drain timeout");
    }
    if (phase.check().lost() > 0) {
      problems.add(where + phase.check().lost() + " deliveries of 202'd messages lost");
    }
    if (phase.check().doubled() > 0) {
      problems.add(where + phase.check().doubled() + " deliveries under two deliveryIds");
    }
    if (phase.check().unexpected() > 0) {
      problems.add(where + phase.check().unexpected() + " deliveries to non-recipients");
    }
    if (!phase.refused().isEmpty()) {
      problems.add(where + "answers other than 202: " + phase.refused());
    }
    if (phase.transportErrors() > 0) {
      problems.add(where + phase.transportErrors() + " posts without an HTTP answer");
    }
  }

  private static String table(
      Options options,
      String loadAverageAtStart,
      List<Run> runs,
      Map<String, Spread> summary,
      List<String> problems) {
    StringBuilder out = new StringBuilder();
    Machine machine = Machine.describe();
    out.append(
        String.format(
            Locale.ROOT,
            "%n== ecohub benchmark (%s mode, %d run%s; %s) ==%n",
            options.mode(),
            runs.size(),
            runs.size() == 1 ? "" : "s",
            options.database() == null ? "embedded H2 + embedded Artemis" : "PostgreSQL"));
    out.append(
        String.format(
            Locale.ROOT,
            "machine: %d cores (%s), %.1f GiB memory, Java %s; load average before the run:"
                + " %s%n",
            machine.cores(),
            machine.cpu(),
            machine.memoryMib() / 1024.0,
            machine.java(),
            loadAverageAtStart));
    out.append(
        String.format(
            Locale.ROOT,
            "load: %d concurrent posters (9 agencies), 9 drainers (pull %d, batch ack), ~%d B"
                + " bodies; ceiling: %d producers, 9 consumers%n",
            options.concurrency(),
            options.pullLimit(),
            Workload.TARGET_BYTES,
            options.concurrency()));
    out.append(
        String.format(
            Locale.ROOT, "%-55s %-6s %10s %10s %10s%n", "figure", "unit", "min", "median", "max"));
    for (Figure figure : FIGURES) {
      Spread s = summary.get(figure.key());
      out.append(
          String.format(
              Locale.ROOT,
              "%-55s %-6s %10s %10s %10s%n",
              figure.label(),
              figure.unit(),
              format(figure, s.min()),
              format(figure, s.median()),
              format(figure, s.max())));
    }
    long posted = runs.stream().mapToLong(Benchmark::posted).sum();
    long accepted = runs.stream().mapToLong(Benchmark::accepted).sum();
    long deliveries = runs.stream().mapToLong(Benchmark::acknowledged).sum();
    out.append(
        String.format(
            Locale.ROOT,
            "checked: %d posted, %d accepted (202), %d deliveries acknowledged, lost %d,"
                + " doubled %d%n",
            posted,
            accepted,
            deliveries,
            runs.stream().mapToLong(r -> lost(r)).sum(),
            runs.stream().mapToLong(r -> doubled(r)).sum()));
    out.append(
        String.format(
            Locale.ROOT,
            "429 answers (per-agency limits), waited out and sent again: %d%n",
            AgencyClient.RATE_LIMITED.get()));
    out.append(
        String.format(
            Locale.ROOT, "hub/ceiling ratio: %.2f%n", summary.get("hubCeilingRatio").median()));
    if (problems.isEmpty()) {
      out.append("problems: none\n");
    } else {
      problems.forEach(p -> out.append("PROBLEM: ").append(p).append('\n'));
    }
    return out.toString();
  }

  private static String format(Figure figure, double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    String pattern =
        figure.unit().isEmpty()
            ? "%.3f"
            : value < 10 && !figure.unit().equals("msg") ? "%.2f" : "%.0f";
    return String.format(Locale.ROOT, pattern, value);
  }

  private static Stream<PhaseResult> phases(Run run) {
    return Stream.of(run.warmup(), run.throughput(), run.latency(), run.alertLane().phase())
        .filter(Objects::nonNull);
  }

  static long posted(Run run) {
    return phases(run).mapToLong(PhaseResult::posted).sum();
  }

  static long accepted(Run run) {
    return phases(run).mapToLong(PhaseResult::accepted).sum();
  }

  static long acknowledged(Run run) {
    return phases(run).mapToLong(PhaseResult::acknowledgedDeliveries).sum();
  }

  static long expected(Run run) {
    return phases(run).mapToLong(PhaseResult::expectedDeliveries).sum();
  }

  static long lost(Run run) {
    return phases(run).mapToLong(p -> p.check().lost()).sum();
  }

  static long doubled(Run run) {
    return phases(run).mapToLong(p -> p.check().doubled()).sum();
  }

  private static ObjectNode json(
      Options options,
      Instant started,
      String loadAverageAtStart,
      List<Run> runs,
      Map<String, Spread> summary,
      List<String> problems) {
    ObjectNode root = AgencyClient.JSON.createObjectNode();
    root.put("benchmark", "ecohub hub end-to-end vs raw broker");
    root.put("mode", options.mode());
    root.put("startedAt", started.toString());
    root.put("finishedAt", Instant.now().toString());
    Machine machine = Machine.describe();
    ObjectNode m = root.putObject("machine");
    m.put("cores", machine.cores());
    m.put("cpu", machine.cpu());
    m.put("memoryMib", machine.memoryMib());
    m.put("java", machine.java());
    m.put("os", machine.os());
    m.put("loadAverageAtStart", loadAverageAtStart);
    ObjectNode s = root.putObject("settings");
    s.put("runs", options.runs());
    s.put("concurrency", options.concurrency());
    s.put("pullLimit", options.pullLimit());
    s.put("drainerIdleMs", options.idle().toMillis());
    s.put("bodyBytes", Workload.TARGET_BYTES);
    s.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
    s.put("throughputSeconds", options.throughput().toMillis() / 1000.0);
    s.put("latencySeconds", options.latency().toMillis() / 1000.0);
    s.put("latencyLoad", options.latencyLoad());
    s.put("alertBacklog", options.alertBacklog());
    s.put("alertRatePerSec", options.alertRate());
    s.put("alertSeconds", options.alertDuration().toMillis() / 1000.0);
    s.put("alertWaterArea", AlertLane.WATER_AREA);
    s.put("ceilingSeconds", options.ceiling().toMillis() / 1000.0);
    s.put("database", options.database() == null ? "embedded H2" : "PostgreSQL");
    s.put("hubJvmOptions", String.join(" ", options.hubJvmOptions()));
    s.put("jar", options.jar().toString());
    root.put("hubCeilingRatio", Math.round(summary.get("hubCeilingRatio").median() * 100) / 100.0);
    ObjectNode sum = root.putObject("summary");
    for (Figure figure : FIGURES) {
      Spread spread = summary.get(figure.key());
      ObjectNode f = sum.putObject(figure.key());
      f.put("unit", figure.unit());
      double scale = figure.unit().isEmpty() ? 10_000 : 100; // the ratio is small
      f.put("min", round(spread.min(), scale));
      f.put("median", round(spread.median(), scale));
      f.put("max", round(spread.max(), scale));
    }
    ArrayNode runList = root.putArray("runs");
    for (Run run : runs) {
      ObjectNode r = runList.addObject();
      r.put("run", run.number());
      r.put("coldStartSeconds", round(run.coldStartSeconds()));
      r.put("peakRssMib", round(run.peakRssMib()));
      r.put("rssAfterLoadMib", round(run.rssAfterMib()));
      r.put("drainerPulls", run.drainerPulls());
      r.put("drainerErrors", run.drainerErrors());
      r.put("throughputPhaseHubCpuSeconds", round(run.hubCpuSeconds()));
      r.put("throughputPhaseLoadGeneratorCpuSeconds", round(run.loadCpuSeconds()));
      if (run.warmup() != null) {
        r.set("warmup", phase(run.warmup()));
      }
      r.set("throughput", phase(run.throughput()));
      r.set("latency", phase(run.latency()));
      r.set("alertLane", alertLane(run.alertLane()));
      r.put("peakRssAfterAlertLaneMib", round(run.peakRssAfterAlertLaneMib()));
      ObjectNode c = r.putObject("ceiling");
      c.put("sent", run.ceiling().sent());
      c.put("received", run.ceiling().received());
      c.put("seconds", round(run.ceiling().seconds()));
      c.put("msgPerSec", round(run.ceiling().throughput()));
      r.put("hubCeilingRatio", round(run.ratio(), 10_000));
    }
    ObjectNode totals = root.putObject("checks");
    totals.put("posted", runs.stream().mapToLong(Benchmark::posted).sum());
    totals.put("accepted", runs.stream().mapToLong(Benchmark::accepted).sum());
    totals.put("expectedDeliveries", runs.stream().mapToLong(Benchmark::expected).sum());
    totals.put("acknowledgedDeliveries", runs.stream().mapToLong(Benchmark::acknowledged).sum());
    totals.put("lost", runs.stream().mapToLong(Benchmark::lost).sum());
    totals.put("doubled", runs.stream().mapToLong(Benchmark::doubled).sum());
    ArrayNode problemList = root.putArray("problems");
    problems.forEach(problemList::add);
    return root;
  }

  private static ObjectNode phase(PhaseResult phase) {
    ObjectNode p = AgencyClient.JSON.createObjectNode();
    p.put("posted", phase.posted());
    p.put("accepted", phase.accepted());
    ObjectNode refused = p.putObject("refused");
    phase.refused().forEach((status, count) -> refused.put(status.toString(), count));
    p.put("transportErrors", phase.transportErrors());
    p.put("expectedDeliveries", phase.expectedDeliveries());
    p.put("acknowledgedDeliveries", phase.acknowledgedDeliveries());
    p.put("foreignDeliveries", phase.foreignDeliveries());
    p.put("complete", phase.complete());
    p.put("lost", phase.check().lost());
    p.put("doubled", phase.check().doubled());
    p.put("unexpected", phase.check().unexpected());
    p.put("seconds", round(phase.seconds()));
    p.put("postingSeconds", round(phase.postingSeconds()));
    p.put("msgPerSec", round(phase.throughput()));
    p.put("deliveriesPerSec", round(phase.deliveriesPerSecond()));
    p.put("acceptRateMsgPerSec", round(phase.acceptRate()));
    if (phase.targetRate() > 0) {
      p.put("targetRateMsgPerSec", round(phase.targetRate()));
    }
    p.set("acceptLatencyMs", percentiles(phase.acceptLatency()));
    p.set("caseEndToEndMs", percentiles(phase.check().caseE2e()));
    p.set("alertEndToEndMs", percentiles(phase.check().alertE2e()));
    p.set("alertPulledByEveryRecipientMs", percentiles(phase.check().alertPulled()));
    return p;
  }

  private static ObjectNode alertLane(AlertLane.Result lane) {
    ObjectNode a = AgencyClient.JSON.createObjectNode();
    a.put("backlogAccepted", lane.backlogAccepted());
    a.put("backlogSeconds", round(lane.backlogSeconds()));
    a.put(
        "backlogPostRateMsgPerSec",
        round(lane.backlogSeconds() > 0 ? lane.backlogAccepted() / lane.backlogSeconds() : 0));
    a.set("queuedAtStart", backlog(lane.queuedAtStart()));
    a.set("queuedAtEnd", backlog(lane.queuedAtEnd()));
    a.put("alertRatePerSec", lane.alertRate());
    a.put("alertsAccepted", lane.alertsAccepted());
    a.set("alertAcceptLatencyMs", percentiles(lane.alertAcceptLatency()));
    a.set("alertPulledByEveryRecipientMs", percentiles(lane.alertPulled()));
    a.set("alertAcknowledgedByEveryRecipientMs", percentiles(lane.alertAcknowledged()));
    a.put("drainSeconds", round(lane.drainSeconds()));
    a.put("drainerPulls", lane.drainerPulls());
    a.put("drainerErrors", lane.drainerErrors());
    a.set("busyPullAnswerMs", percentiles(lane.busyPullTimes()));
    a.set("phase", phase(lane.phase()));
    return a;
  }

  /** Case messages still waiting for a recipient's acknowledgement, and those deliveries. */
  private static ObjectNode backlog(Ledger.Backlog backlog) {
    ObjectNode b = AgencyClient.JSON.createObjectNode();
    b.put("caseMessages", backlog.messages());
    ObjectNode byRecipient = b.putObject("deliveriesByRecipient");
    backlog.deliveriesByRecipient().forEach(byRecipient::put);
    return b;
  }

  static ObjectNode percentiles(Samples samples) {
    ObjectNode p = AgencyClient.JSON.createObjectNode();
    p.put("count", samples.count());
    p.put("p50", round(samples.percentileMs(0.50)));
    p.put("p95", round(samples.percentileMs(0.95)));
    p.put("p99", round(samples.percentileMs(0.99)));
    p.put("max", round(samples.maxMs()));
    return p;
  }

  static double round(double value) {
    return round(value, 100);
  }

  /** Rounded to 1/scale; -1 when there is no such figure (e.g. no sample). */
  static double round(double value, double scale) {
    return Double.isNaN(value) ? -1 : Math.round(value * scale) / scale;
  }

  /** Artemis logs every start and stop at INFO; the benchmark's output is its table. */
  static void quietBrokerLogging() {
    for (String name : List.of("org.apache.activemq", "io.netty")) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(ch.qos.logback.classic.Level.WARN);
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The machine the figures come from. */
  record Machine(int cores, String cpu, long memoryMib, String java, String os) {
    /** The 1, 5 and 15 minute load averages: other work on the machine skews the figures. */
    static String loadAverage() {
      try {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return fields[0] + " " + fields[1] + " " + fields[2];
      } catch (IOException | RuntimeException notLinux) {
        return "unknown";
      }
    }

    static Machine describe() {
      String cpu = "unknown CPU";
      long memory = Runtime.getRuntime().maxMemory() / (1024 * 1024);
      try {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
          if (line.startsWith("model name")) {
            cpu = line.substring(line.indexOf(':') + 1).trim();
            break;
          }
        }
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
          if (line.startsWith("MemTotal:")) {
            memory = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            break;
          }
        }
      } catch (IOException | RuntimeException notLinux) {
        // keep the defaults
      }
      return new Machine(
          Runtime.getRuntime().availableProcessors(),
          cpu,
          memory,
          System.getProperty("java.version"),
          System.getProperty("os.name") + " " + System.getProperty("os.version"));
    }
  }
}
