package cn.gov.honghu.hub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.bench.Benchmark.Figure;
import cn.gov.honghu.hub.bench.Benchmark.Report;
import cn.gov.honghu.hub.bench.Benchmark.Run;
import cn.gov.honghu.hub.bench.Samples.Spread;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The benchmark's smoke mode against the packaged hub, so the benchmark cannot rot: it must produce
 * every figure (non-zero), deliver and acknowledge every posted message, and write its JSON file.
 * It never asserts a speed. Against PostgreSQL when {@code HUB_TEST_DB_URL} is set, like the other
 * tests of the packaged hub, but in a database of its own: the suite's database holds other tests'
 * undelivered messages, which the benchmark's recipients would drain as foreign deliveries.
 */
class BenchmarkSmokeIT {

  @TempDir Path out;

  @Test
  void shouldProduceSaneFiguresWithEveryPostedMessageDeliveredAndAcknowledged() throws Exception {
    // given: the smoke mode, writing into a temporary directory
    Map<String, String> settings = new HashMap<>();
    settings.put("mode", "smoke");
    settings.put("out", out.toString());
    String dbUrl = System.getenv("HUB_TEST_DB_URL");
    String user = System.getenv().getOrDefault("HUB_TEST_DB_USER", "postgres");
    String ownDatabase = "ecohub_bench_" + UUID.randomUUID().toString().replace("-", "");
    boolean postgres = dbUrl != null && dbUrl.startsWith("jdbc:postgresql:");
    if (postgres) {
      admin(dbUrl, user, "CREATE DATABASE " + ownDatabase);
      settings.put("db", "postgres");
      settings.put("db-url", dbUrl.substring(0, dbUrl.lastIndexOf('/') + 1) + ownDatabase);
      settings.put("db-user", user);
    }

    // when
    Report report;
    try {
      report = Benchmark.run(Options.of(settings));
    } finally {
      if (postgres) {
        admin(dbUrl, user, "DROP DATABASE IF EXISTS " + ownDatabase + " WITH (FORCE)");
      }
    }

    // then: no problem found, every figure produced
    assertThat(report.problems()).isEmpty();
    assertThat(report.runs()).isNotEmpty();
    for (Figure figure : Benchmark.FIGURES) {
      Spread spread = report.summary().get(figure.key());
      if (figure.mayBeZero()) {
        assertThat(spread.min()).as(figure.label()).isFinite().isNotNegative();
      } else {
        assertThat(spread.min()).as(figure.label()).isFinite().isPositive();
      }
      assertThat(spread.max()).as(figure.label()).isGreaterThanOrEqualTo(spread.min());
    }
    // and every message posted was accepted, delivered to each recipient once and acknowledged
    for (Run run : report.runs()) {
      assertThat(Benchmark.accepted(run)).isPositive().isEqualTo(Benchmark.posted(run));
      assertThat(Benchmark.acknowledged(run)).isEqualTo(Benchmark.expected(run));
      assertThat(Benchmark.lost(run)).isZero();
      assertThat(Benchmark.doubled(run)).isZero();
      assertThat(run.throughput().complete()).isTrue();
      assertThat(run.latency().complete()).isTrue();
      // the alert lane queued its whole backlog before the first alert, and drained it after
      AlertLane.Result lane = run.alertLane();
      assertThat(lane.backlogAccepted()).isEqualTo(report.options().alertBacklog());
      assertThat(lane.queuedAtStart().messages()).isEqualTo(lane.backlogAccepted());
      assertThat(lane.queuedAtStart().deliveriesByRecipient()).containsKey("police");
      assertThat(lane.alertsAccepted()).isPositive();
      assertThat(lane.alertPulled().count()).isEqualTo(lane.alertsAccepted());
      assertThat(lane.phase().complete()).isTrue();
      assertThat(run.ceiling().received()).isEqualTo(run.ceiling().sent()).isPositive();
    }
    // and the table and the JSON file carry the headline
    assertThat(report.table()).contains("hub/ceiling ratio: ");
    assertThat(report.json()).exists();
    JsonNode json = AgencyClient.JSON.readTree(Files.readString(report.json()));
    assertThat(json.get("hubCeilingRatio").asDouble()).isPositive();
    assertThat(json.get("summary").get("throughputMsgPerSec").get("median").asDouble())
        .isPositive();
    assertThat(json.get("summary").get("alertLanePulledP99Ms").get("median").asDouble())
        .isPositive();
    assertThat(
            json.get("runs")
                .get(0)
                .get("alertLane")
                .get("queuedAtStart")
                .get("caseMessages")
                .asLong())
        .isPositive();
    assertThat(json.get("checks").get("lost").asLong()).isZero();
    assertThat(json.get("problems").size()).isZero();
  }

  private static void admin(String url, String user, String statement) throws Exception {
    try (Connection connection = DriverManager.getConnection(url, user, "");
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }
}
