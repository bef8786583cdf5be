package cn.gov.honghu.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an operator sees when the data folder's disk fills up (HUB-SPEC section 10, "readiness
 * warning before the disk is full"): a hub of its own whose warning threshold is above any disk's
 * free space still answers readiness 200, with status WARNING and the component {@code disk} saying
 * why, and the disk meters are on {@code /actuator/prometheus}; below the minimum it answers 503.
 */
class DiskWarningTest {

  @TempDir Path dataDir;

  @Test
  void shouldStayReadyWithStatusWarningWhenTheFreeSpaceIsBelowTheWarningThreshold() {
    try (ConfigurableApplicationContext context = hubWithDiskLimits("1000000TB", "1MB")) {
      HubClient hub = client(context);

      // when
      Answer readiness = hub.get(null, "/actuator/health/readiness");
      Answer health = hub.get(null, "/actuator/health");
      PrometheusScrape scrape = new PrometheusScrape(hub.get(null, "/actuator/prometheus").text());

      // then: still ready, with the warning named
      assertThat(readiness.status()).as(readiness.text()).isEqualTo(200);
      assertThat(readiness.get("status").asString()).isEqualTo("WARNING");
      assertThat(readiness.get("components").get("disk").get("status").asString())
          .isEqualTo("WARNING");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.get("status").asString()).isEqualTo("WARNING");
      // and: the disk and retention meters
      assertThat(scrape.value("hub_disk_free_bytes", Map.of())).isPositive();
      assertThat(scrape.value("hub_disk_total_bytes", Map.of())).isPositive();
      assertThat(scrape.value("hub_data_dir_bytes", Map.of())).isPositive();
      assertThat(scrape.has("hub_retention_purged_total", Map.of("what", "deliveries"))).isTrue();
      assertThat(scrape.has("hub_retention_last_run_timestamp_seconds", Map.of())).isTrue();
    }
  }

  @Test
  void shouldRefuseReadinessWith503WhenTheFreeSpaceIsBelowTheMinimum() {
    try (ConfigurableApplicationContext context = hubWithDiskLimits("2000000TB", "1000000TB")) {
      HubClient hub = client(context);

      // when
      Answer readiness = hub.get(null, "/actuator/health/readiness");

      // then: not ready, so a load balancer sends no more messages to this instance
      assertThat(readiness.status()).as(readiness.text()).isEqualTo(503);
      assertThat(readiness.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
      assertThat(readiness.get("components").get("disk").get("status").asString())
          .isEqualTo("OUT_OF_SERVICE");
    }
  }

  /** A hub of its own on a fresh data folder, with these disk thresholds. */
  private ConfigurableApplicationContext hubWithDiskLimits(String warnFree, String minFree) {
    return new SpringApplicationBuilder(HubApplication.class)
        .profiles("test")
        // Command-line arguments: they win over application-test.yml.
        .run(
            "--server.port=0",
            "--hub.data-dir=" + dataDir,
            "--hub.disk.warn-free=" + warnFree,
            "--hub.disk.min-free=" + minFree);
  }

  private static HubClient client(ConfigurableApplicationContext context) {
    return new HubClient(((WebServerApplicationContext) context).getWebServer().getPort());
  }
}
