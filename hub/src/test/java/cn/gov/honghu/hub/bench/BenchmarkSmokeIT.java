package cn.gov.honghu.hub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.bench.Benchmark.Figure;
import cn.gov.honghu.hub.bench.Benchmark.Report;
import cn.gov.honghu.hub.bench.Benchmark.Run;
import cn.gov.honghu.hub.bench.Samples.Spread;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The benchmark's smoke mode against the packaged hub, so the benchmark cannot rot: it must produce
 * every figure (non-zero), deliver and acknowledge every posted message, and write its JSON file.
 * It never asserts a speed. Against PostgreSQL when {@code HUB_TEST_DB_URL} is set, like the other
 * tests of the packaged hub.
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
    if (dbUrl != null && !dbUrl.isBlank()) {
      settings.put("db", "postgres");
      settings.put("db-url", dbUrl);
      settings.put("db-user", System.getenv().getOrDefault("HUB_TEST_DB_USER", "postgres"));
    }

    // when
    Report report = Benchmark.run(Options.of(settings));

    // then: no problem found, every figure produced
    assertThat(report.problems()).isEmpty();
    assertThat(report.runs()).isNotEmpty();
    for (Figure figure : Benchmark.FIGURES) {
      Spread spread = report.summary().get(figure.key());
      assertThat(spread.min()).as(figure.label()).isFinite().isPositive();
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
      assertThat(run.ceiling().received()).isEqualTo(run.ceiling().sent()).isPositive();
    }
    // and the table and the JSON file carry the headline
    assertThat(report.table()).contains("hub/ceiling ratio: ");
    assertThat(report.json()).exists();
    JsonNode json = AgencyClient.JSON.readTree(Files.readString(report.json()));
    assertThat(json.get("hubCeilingRatio").asDouble()).isPositive();
    assertThat(json.get("summary").get("throughputMsgPerSec").get("median").asDouble())
        .isPositive();
    assertThat(json.get("checks").get("lost").asLong()).isZero();
    assertThat(json.get("problems").size()).isZero();
  }
}
