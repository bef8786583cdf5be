package cn.gov.honghu.hub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Small versions of the benchmark's history and soak modes (issue 15) against the packaged hub, so
 * they cannot rot: a few thousand preloaded messages and half a minute of soak. They check that
 * every output is produced and consistent (counts, CSV rows, a PNG that decodes, restarts timed),
 * never a speed. Against PostgreSQL when {@code HUB_TEST_DB_URL} is set, in databases of their own
 * (the modes create and drop them beside the one given).
 */
class BenchmarkStorageModesIT {

  @TempDir Path out;

  @Test
  void historyModeShouldPreloadMeasureAndRestartBesideAnEmptyStore() throws Exception {
    // given: a few thousand messages of history, a small backlog, short phases
    Map<String, String> settings = settings("history");
    settings.put("history-messages", "2000");
    settings.put("history-waiting", "600");
    settings.put("history-batch", "500");
    settings.put("pull-samples", "10");
    settings.put("preload-jvm-opts", "-Xmx384m");

    // when
    History.Report report = withOwnDatabase(settings, () -> History.run(Options.of(settings)));

    // then: no problem, an empty and a history store, each preloaded, measured and restarted
    assertThat(report.problems()).isEmpty();
    assertThat(report.stores())
        .extracting(History.StoreRun::label)
        .containsExactly("empty", "history");
    for (History.StoreRun store : report.stores()) {
      boolean empty = store.label().equals("empty");
      long history = empty ? 0 : 2000;
      assertThat(store.preload().path("historyMessages").asLong()).isEqualTo(history);
      assertThat(store.preloaded()).isEqualTo(history + 600);
      // every history delivery acknowledged; the police keep the backlog, the procuratorate a page
      assertThat(store.preload().path("acknowledgedDeliveries").asLong())
          .isEqualTo(store.preload().path("deliveries").asLong() - 600 - 250);
      assertThat(store.backlogWaiting()).isEqualTo(600);
      assertThat(store.smallWaiting()).isEqualTo(250);
      assertThat(store.drained()).isEqualTo(850);
      assertThat(store.historyPulls().count()).isEqualTo(10);
      assertThat(store.backlogPulls().count()).isEqualTo(10);
      assertThat(store.firstStartSeconds()).isPositive();
      assertThat(store.restartSeconds()).isPositive();
      assertThat(store.storeBytesAfterPreload()).isPositive();
      assertThat(store.storeBytesAtEnd()).isPositive();
      assertThat(Benchmark.accepted(store.run()))
          .isPositive()
          .isEqualTo(Benchmark.posted(store.run()));
      assertThat(Benchmark.acknowledged(store.run())).isEqualTo(Benchmark.expected(store.run()));
      assertThat(Benchmark.lost(store.run())).isZero();
      assertThat(Benchmark.doubled(store.run())).isZero();
      for (String key : History.keys()) {
        double value = History.value(key, store);
        if (History.mayBeZero(key, empty)) {
          assertThat(value).as(key).isFinite().isNotNegative();
        } else {
          assertThat(value).as(key).isFinite().isPositive();
        }
      }
    }
    // and the JSON file carries both columns
    JsonNode json = AgencyClient.JSON.readTree(Files.readString(report.json()));
    assertThat(json.get("figures").get("restartSeconds").get("history").asDouble()).isPositive();
    assertThat(json.get("figures").get("backlogPullP99Ms").get("empty").asDouble()).isPositive();
    assertThat(json.get("history").get("preload").get("historyMessages").asLong()).isEqualTo(2000);
    assertThat(json.get("problems").size()).isZero();
  }

  @Test
  void soakModeShouldSampleDiskHeapAndThroughputIntoACsvAndAPlot() throws Exception {
    // given: half a minute at full load, a sample every 5 s
    Map<String, String> settings = settings("soak");
    settings.put("soak-minutes", "0.5");
    settings.put("soak-sample-s", "5");
    settings.put("concurrency", "9");

    // when
    Soak.Report report = withOwnDatabase(settings, () -> Soak.run(Options.of(settings)));

    // then: every 202 delivered and acknowledged
    assertThat(report.problems()).isEmpty();
    assertThat(report.phase().accepted()).isPositive().isEqualTo(report.phase().posted());
    assertThat(report.phase().complete()).isTrue();
    assertThat(report.phase().check().lost()).isZero();
    // and a sample at the start, every 5 s and at the end, each with sane values
    List<Soak.Sample> samples = report.samples();
    assertThat(samples).hasSizeBetween(6, 8);
    for (Soak.Sample sample : samples) {
      assertThat(sample.storeBytes()).isPositive();
      assertThat(sample.dataFolderBytes()).isPositive();
      assertThat(sample.heapBytes()).isPositive();
      assertThat(sample.rssKib()).isPositive();
      assertThat(sample.maintenanceMaxMillis()).as("scraped store maintenance max").isNotNegative();
    }
    assertThat(samples.get(samples.size() - 1).accepted()).isEqualTo(report.phase().accepted());
    assertThat(samples.stream().skip(1).mapToDouble(Soak.Sample::acceptedPerSecond).max().orElse(0))
        .isPositive();
    // and the CSV has a header and a row per sample, the plot decodes
    List<String> rows = Files.readAllLines(report.csv());
    assertThat(rows.get(0)).startsWith("minute,seconds,store_mib,");
    assertThat(rows).hasSize(samples.size() + 1);
    BufferedImage plot = ImageIO.read(report.png().toFile());
    assertThat(plot).isNotNull();
    assertThat(plot.getWidth()).isPositive();
    JsonNode json = AgencyClient.JSON.readTree(Files.readString(report.json()));
    assertThat(json.get("lost").asLong()).isZero();
  }

  private Map<String, String> settings(String mode) {
    Map<String, String> settings = new HashMap<>();
    settings.put("mode", mode);
    settings.put("out", out.toString());
    // short phases: the run proves the mode works, the lead's full runs give the figures
    settings.put("warmup-s", "0");
    settings.put("throughput-s", "3");
    settings.put("latency-s", "2");
    settings.put("alert-backlog", "200");
    settings.put("alert-s", "2");
    settings.put("drain-timeout-s", "60");
    return settings;
  }

  /** The configured PostgreSQL as the modes' admin connection, when the suite runs on it. */
  private static <T> T withOwnDatabase(Map<String, String> settings, Action<T> action)
      throws Exception {
    String dbUrl = System.getenv("HUB_TEST_DB_URL");
    if (dbUrl == null || !dbUrl.startsWith("jdbc:postgresql:")) {
      return action.run();
    }
    String user = System.getenv().getOrDefault("HUB_TEST_DB_USER", "postgres");
    // a database of this test's own, beside which the modes create theirs
    String own = "ecohub_bench_" + UUID.randomUUID().toString().replace("-", "");
    admin(dbUrl, user, "CREATE DATABASE " + own);
    try {
      settings.put("db", "postgres");
      settings.put("db-url", dbUrl.substring(0, dbUrl.lastIndexOf('/') + 1) + own);
      settings.put("db-user", user);
      return action.run();
    } finally {
      admin(dbUrl, user, "DROP DATABASE IF EXISTS " + own + " WITH (FORCE)");
    }
  }

  private interface Action<T> {
    T run() throws Exception;
  }

  private static void admin(String url, String user, String statement) throws Exception {
    try (Connection connection = DriverManager.getConnection(url, user, "");
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }
}
