package cn.gov.honghu.hub.metrics;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/**
 * Health {@code disk} (in the readiness group): UP with room to spare; WARNING (HTTP 200, still
 * ready) below {@code hub.disk.warn-free}, time for an operator to act; OUT_OF_SERVICE (HTTP 503,
 * not ready) below {@code hub.disk.min-free}, where a load balancer should stop sending messages to
 * a hub whose store may soon fail to write a commit. It replaces Spring Boot's diskSpace indicator,
 * which knows only UP and DOWN and watches the working directory, not the data folder.
 */
public final class DiskHealth implements HealthIndicator {

  /** Ready, but an operator should act; mapped to HTTP 200 in application.yml. */
  public static final Status WARNING = new Status("WARNING", "the disk of hub.data-dir fills up");

  private final DataDirUsage usage;

  public DiskHealth(DataDirUsage usage) {
    this.usage = usage;
  }

  @Override
  public Health health() {
    Health.Builder health =
        switch (usage.level()) {
          case OK -> Health.up();
          case WARNING -> Health.status(WARNING);
          case CRITICAL -> Health.outOfService();
        };
    double free = usage.freeBytes();
    return health
        .withDetail(
            "free", Double.isNaN(free) ? "unknown" : DataSize.ofBytes((long) free).toString())
        .withDetail("warnFree", usage.warnFree().toString())
        .withDetail("minFree", usage.minFree().toString())
        .build();
  }
}
