package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.bench.BenchHub.Database;
import cn.gov.honghu.hub.bench.Load.Drainers;
import cn.gov.honghu.hub.bench.Load.PhaseResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The soak mode (issue 15, HUB-SPEC section 10): the closed loop at full load for {@code
 * soak-minutes} on a fresh hub and store, every drainer running, and every {@code soak-sample-s} a
 * sample of the store's size ({@link Stores#storeBytes}), the whole data folder, the hub's heap in
 * use (from its Prometheus endpoint), its RSS and the throughput of the interval (messages accepted
 * and deliveries acknowledged per second). Writes {@code soak-<store>.csv} and {@code
 * soak-<store>.png} (three panels: store MiB, heap MiB, msg/s against minutes; drawn with java.awt,
 * headless) and checks every 202 of the soak as the other phases do.
 */
final class Soak {

  private Soak() {}

  /** One sample; the rates are over the interval that ends at {@code seconds}. */
  record Sample(
      double seconds,
      long storeBytes,
      long dataFolderBytes,
      long heapBytes,
      long rssKib,
      double maintenanceMaxMillis,
      long accepted,
      long acknowledged,
      double acceptedPerSecond,
      double acknowledgedPerSecond) {}

  /** What the soak produced. */
  record Report(
      Options options,
      List<Sample> samples,
      PhaseResult phase,
      List<String> problems,
      Path csv,
      Path png,
      Path json) {}

  static Report run(Options options) throws Exception {
    Benchmark.quietBrokerLogging();
    Files.createDirectories(options.out());
    String store = Stores.tag(options.database());
    System.out.printf(
        "ecohub benchmark: soak mode on %s, %.1f min at full load (%d posters), a sample every"
            + " %.0f s, output %s%n",
        Stores.describe(options.database()),
        options.soak().toMillis() / 60000.0,
        options.concurrency(),
        options.soakSample().toMillis() / 1000.0,
        options.out());
    Path dataDir = Files.createTempDirectory("ecohub-bench-soak-");
    Database database =
        options.database() == null ? null : Stores.createBeside(options.database(), "soak");
    List<Sample> samples = new ArrayList<>();
    PhaseResult phase;
    try {
      BenchHub hub =
          BenchHub.start(
              options.jar(), dataDir, options.hubJvmOptions(), database, Duration.ofSeconds(120));
      try {
        phase = soak(options, hub, dataDir, database, samples);
      } finally {
        hub.close();
      }
    } finally {
      if (Files.exists(dataDir.resolve("hub.log"))) {
        Files.copy(
            dataDir.resolve("hub.log"),
            options.out().resolve("soak-" + store + "-hub.log"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Benchmark.deleteTree(dataDir);
      if (database != null && !options.keepDatabase()) {
        Stores.drop(options.database(), database);
      }
    }
    List<String> problems = new ArrayList<>();
    Benchmark.verify(1, phase, problems);
    Path csv = options.out().resolve("soak-" + store + ".csv");
    Files.writeString(csv, csv(samples), StandardCharsets.UTF_8);
    Path png = options.out().resolve("soak-" + store + ".png");
    plot(samples, Stores.describe(options.database()), png);
    Path json = options.out().resolve("soak-" + store + ".json");
    Files.writeString(
        json,
        AgencyClient.JSON
            .writerWithDefaultPrettyPrinter()
            .writeValueAsString(json(options, phase, samples, problems)),
        StandardCharsets.UTF_8);
    System.out.print(summary(options, phase, samples, problems));
    System.out.println("written: " + csv + ", " + png + ", " + json);
    return new Report(options, samples, phase, problems, csv, png, json);
  }

  private static PhaseResult soak(
      Options options, BenchHub hub, Path dataDir, Database database, List<Sample> samples)
      throws Exception {
    Map<String, AgencyClient> clients = Benchmark.clients(hub, options);
    // A suspect per case, as the history preload has: half an hour of penalties against the
    // fixtures' one suspect made every later penalty count tens of thousands of prior ones (the
    // party-history check), which no county's history does, and the soak measured that instead.
    Workload workload = new Workload(UUID.randomUUID().toString().substring(0, 8), true);
    Ledger ledger = new Ledger();
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "soak-sampler");
              thread.setDaemon(true);
              return thread;
            });
    long start = System.nanoTime();
    samples.add(sample(hub, dataDir, database, ledger, start, null));
    long period = options.soakSample().toMillis();
    sampler.scheduleAtFixedRate(
        () -> {
          Sample sample;
          synchronized (samples) {
            sample = sample(hub, dataDir, database, ledger, start, samples.get(samples.size() - 1));
            samples.add(sample);
          }
          System.out.printf(
              Locale.ROOT,
              "soak %5.1f min: store %.1f MiB, heap %.0f MiB, RSS %.0f MiB, %.0f msg/s%n",
              sample.seconds() / 60,
              sample.storeBytes() / 1048576.0,
              sample.heapBytes() / 1048576.0,
              sample.rssKib() / 1024.0,
              sample.acceptedPerSecond());
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
    long postingEnd;
    try (Drainers drainers = new Drainers(clients, options.idle(), ledger)) {
      Load.postClosedLoop(
          "soak",
          workload::next,
          workload::accepted,
          clients,
          ledger,
          options.concurrency(),
          options.soak(),
          Integer.MAX_VALUE);
      postingEnd = System.nanoTime();
      sampler.shutdown();
      sampler.awaitTermination(30, TimeUnit.SECONDS);
      synchronized (samples) {
        // the last sample at the end of the load, counting the posts answered after the schedule's
        // last one; it replaces that one when the schedule just took it
        Sample last = samples.get(samples.size() - 1);
        if (samples.size() > 1 && (postingEnd - start) / 1e9 - last.seconds() < period / 2000.0) {
          samples.remove(samples.size() - 1);
        }
        samples.add(sample(hub, dataDir, database, ledger, start, samples.get(samples.size() - 1)));
      }
      try {
        org.awaitility.Awaitility.await()
            .atMost(options.drainTimeout())
            .pollInterval(Duration.ofMillis(5))
            .until(ledger::allAcknowledged);
      } catch (org.awaitility.core.ConditionTimeoutException incomplete) {
        // reported by the result as an incomplete phase
      }
    } finally {
      sampler.shutdownNow();
    }
    return Load.result("soak", ledger, start, postingEnd, 0);
  }

  private static Sample sample(
      BenchHub hub, Path dataDir, Database database, Ledger ledger, long start, Sample previous) {
    double seconds = (System.nanoTime() - start) / 1e9;
    long accepted = ledger.accepted();
    long acknowledged = ledger.acknowledgedDeliveries();
    long dataFolder = Stores.folderBytes(dataDir) - Stores.folderBytes(dataDir.resolve("hub.log"));
    double interval = previous == null ? 0 : seconds - previous.seconds();
    return new Sample(
        seconds,
        Stores.storeBytes(database, dataDir),
        dataFolder,
        hub.heapUsedBytes(),
        hub.rssKib(),
        hub.storeMaintenanceMaxMillis(),
        accepted,
        acknowledged,
        interval > 0 ? (accepted - previous.accepted()) / interval : 0,
        interval > 0 ? (acknowledged - previous.acknowledged()) / interval : 0);
  }

  static String csv(List<Sample> samples) {
    StringBuilder out =
        new StringBuilder(
            "minute,seconds,store_mib,data_folder_mib,heap_used_mib,rss_mib,maintenance_max_ms,"
                + "accepted_total,"
                + "acknowledged_total,accepted_per_s,acknowledged_per_s\n");
    for (Sample s : samples) {
      out.append(
          String.format(
              Locale.ROOT,
              "%.2f,%.1f,%.1f,%.1f,%.1f,%.1f,%.0f,%d,%d,%.1f,%.1f%n",
              s.seconds() / 60,
              s.seconds(),
              s.storeBytes() / 1048576.0,
              s.dataFolderBytes() / 1048576.0,
              s.heapBytes() / 1048576.0,
              s.rssKib() / 1024.0,
              s.maintenanceMaxMillis(),
              s.accepted(),
              s.acknowledged(),
              s.acceptedPerSecond(),
              s.acknowledgedPerSecond()));
    }
    return out.toString();
  }

  /** Three panels, one above the other, sharing the minutes axis; plain java.awt, headless. */
  static void plot(List<Sample> samples, String store, Path png) throws Exception {
    System.setProperty("java.awt.headless", "true");
    int width = 900;
    int panel = 220;
    int top = 56;
    int left = 80;
    int right = 30;
    int gap = 40;
    int height = top + 3 * panel + 2 * gap + 50;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString("ecohub soak at full load: " + store, left, 24);
      double minutes =
          Math.max(1e-9, samples.isEmpty() ? 1 : samples.get(samples.size() - 1).seconds() / 60);
      panel(
          g,
          samples,
          s -> s.storeBytes() / 1048576.0,
          "store (MiB)",
          new Color(0x1f77b4),
          left,
          top,
          width - left - right,
          panel,
          minutes,
          false);
      panel(
          g,
          samples,
          s -> s.heapBytes() / 1048576.0,
          "heap used (MiB)",
          new Color(0xd62728),
          left,
          top + panel + gap,
          width - left - right,
          panel,
          minutes,
          false);
      panel(
          g,
          samples,
          Sample::acceptedPerSecond,
          "accepted (msg/s)",
          new Color(0x2ca02c),
          left,
          top + 2 * (panel + gap),
          width - left - right,
          panel,
          minutes,
          true);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.BLACK);
      g.drawString("minutes", left + (width - left - right) / 2 - 20, height - 12);
    } finally {
      g.dispose();
    }
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IllegalStateException("no PNG writer");
    }
  }

  private static void panel(
      Graphics2D g,
      List<Sample> samples,
      ToDoubleFunction<Sample> value,
      String title,
      Color color,
      int x,
      int y,
      int w,
      int h,
      double minutes,
      boolean skipFirst) {
    List<Sample> points =
        skipFirst && samples.size() > 1 ? samples.subList(1, samples.size()) : samples;
    double max = 0;
    for (Sample s : points) {
      max = Math.max(max, value.applyAsDouble(s));
    }
    max = niceCeiling(max);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(new Color(0xdddddd));
    for (int i = 0; i <= 4; i++) {
      int gy = y + h - i * h / 4;
      g.drawLine(x, gy, x + w, gy);
    }
    g.setColor(Color.BLACK);
    g.drawRect(x, y, w, h);
    g.drawString(title, x + 6, y - 6);
    for (int i = 0; i <= 4; i++) {
      int gy = y + h - i * h / 4;
      String label = String.format(Locale.ROOT, max >= 40 ? "%.0f" : "%.1f", max * i / 4);
      g.drawString(label, x - 8 - g.getFontMetrics().stringWidth(label), gy + 4);
    }
    for (int i = 0; i <= 6; i++) {
      int gx = x + i * w / 6;
      String label = String.format(Locale.ROOT, minutes >= 6 ? "%.0f" : "%.1f", minutes * i / 6);
      g.drawString(label, gx - g.getFontMetrics().stringWidth(label) / 2, y + h + 15);
    }
    if (points.isEmpty() || max <= 0) {
      return;
    }
    Path2D.Double line = new Path2D.Double();
    boolean first = true;
    for (Sample s : points) {
      double px = x + w * (s.seconds() / 60) / minutes;
      double py = y + h - h * Math.max(0, value.applyAsDouble(s)) / max;
      if (first) {
        line.moveTo(px, py);
        first = false;
      } else {
        line.lineTo(px, py);
      }
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    g.draw(line);
    for (Sample s : points) {
      double px = x + w * (s.seconds() / 60) / minutes;
      double py = y + h - h * Math.max(0, value.applyAsDouble(s)) / max;
      g.fillOval((int) px - 3, (int) py - 3, 6, 6);
    }
    g.setStroke(new BasicStroke(1f));
  }

  /** 1, 2 or 5 times a power of ten, at least {@code value}. */
  private static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String summary(
      Options options, PhaseResult phase, List<Sample> samples, List<String> problems) {
    StringBuilder out = new StringBuilder();
    Sample first = samples.get(0);
    Sample last = samples.get(samples.size() - 1);
    out.append(
        String.format(
            Locale.ROOT,
            "%n== ecohub soak (%s, %.1f min, %d posters) ==%n",
            Stores.describe(options.database()),
            options.soak().toMillis() / 60000.0,
            options.concurrency()));
    out.append(
        String.format(
            Locale.ROOT,
            "%d samples; accepted %,d (%.0f msg/s over the soak), %,d deliveries acknowledged,"
                + " lost %d, doubled %d%n",
            samples.size(),
            phase.accepted(),
            phase.postingSeconds() > 0 ? phase.accepted() / phase.postingSeconds() : 0,
            phase.acknowledgedDeliveries(),
            phase.check().lost(),
            phase.check().doubled()));
    out.append(
        String.format(
            Locale.ROOT,
            "store %.1f -> %.1f MiB (%.0f B per accepted message), data folder %.1f MiB,"
                + " heap %.0f -> %.0f MiB, RSS %.0f -> %.0f MiB%n",
            first.storeBytes() / 1048576.0,
            last.storeBytes() / 1048576.0,
            phase.accepted() > 0
                ? (last.storeBytes() - first.storeBytes()) / (double) phase.accepted()
                : 0,
            last.dataFolderBytes() / 1048576.0,
            first.heapBytes() / 1048576.0,
            last.heapBytes() / 1048576.0,
            first.rssKib() / 1024.0,
            last.rssKib() / 1024.0));
    double longestStep = longestMaintenanceStep(samples);
    if (longestStep >= 0) {
      out.append(
          String.format(
              Locale.ROOT, "longest embedded store maintenance step: %.0f ms%n", longestStep));
    }
    if (problems.isEmpty()) {
      out.append("problems: none\n");
    } else {
      problems.forEach(p -> out.append("PROBLEM: ").append(p).append('\n'));
    }
    return out.toString();
  }

  /** The longest maintenance step any sample saw, in ms; -1 where the store has none. */
  static double longestMaintenanceStep(List<Sample> samples) {
    return samples.stream().mapToDouble(Sample::maintenanceMaxMillis).max().orElse(-1);
  }

  private static tools.jackson.databind.node.ObjectNode json(
      Options options, PhaseResult phase, List<Sample> samples, List<String> problems) {
    tools.jackson.databind.node.ObjectNode root = AgencyClient.JSON.createObjectNode();
    root.put("benchmark", "ecohub soak mode");
    root.put("store", Stores.describe(options.database()));
    root.put("minutes", options.soak().toMillis() / 60000.0);
    root.put("sampleSeconds", options.soakSample().toMillis() / 1000.0);
    root.put("concurrency", options.concurrency());
    root.put("hubJvmOptions", String.join(" ", options.hubJvmOptions()));
    root.put("posted", phase.posted());
    root.put("accepted", phase.accepted());
    root.put("expectedDeliveries", phase.expectedDeliveries());
    root.put("acknowledgedDeliveries", phase.acknowledgedDeliveries());
    root.put("lost", phase.check().lost());
    root.put("doubled", phase.check().doubled());
    root.put("longestMaintenanceStepMs", longestMaintenanceStep(samples));
    root.put("complete", phase.complete());
    root.put("samples", samples.size());
    problems.forEach(root.putArray("problems")::add);
    return root;
  }
}
