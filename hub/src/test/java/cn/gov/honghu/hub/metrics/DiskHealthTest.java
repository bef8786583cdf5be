package cn.gov.honghu.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/**
 * The data folder's size and the health component {@code disk} on a real folder, with thresholds
 * set around the free space the machine happens to have.
 */
class DiskHealthTest {

  private static final DataSize NOTHING = DataSize.ofBytes(0);
  private static final DataSize MORE_THAN_ANY_DISK = DataSize.ofTerabytes(1_000_000);

  @TempDir Path dataDir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-05-06T08:00:00Z"));

  private DataDirUsage usage(DataSize warnFree, DataSize minFree) {
    return new DataDirUsage(dataDir, warnFree, minFree, clock, Duration.ofMinutes(1));
  }

  @Test
  void shouldBeUpWhenTheFreeSpaceIsAboveBothThresholds() {
    assertThat(new DiskHealth(usage(NOTHING, NOTHING)).health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void shouldWarnButStayReadyWhenTheFreeSpaceIsBelowTheWarningThreshold() {
    // when
    Status status = new DiskHealth(usage(MORE_THAN_ANY_DISK, NOTHING)).health().getStatus();

    // then
    assertThat(status).isEqualTo(DiskHealth.WARNING);
    assertThat(status.getCode()).isEqualTo("WARNING");
  }

  @Test
  void shouldBeOutOfServiceWhenTheFreeSpaceIsBelowTheMinimum() {
    assertThat(new DiskHealth(usage(MORE_THAN_ANY_DISK, MORE_THAN_ANY_DISK)).health().getStatus())
        .isEqualTo(Status.OUT_OF_SERVICE);
  }

  @Test
  void shouldMeasureTheFolderAtMostOncePerPeriodWhenFilesAreAdded() throws IOException {
    // given
    Files.write(dataDir.resolve("a.db"), new byte[1000]);
    Files.createDirectories(dataDir.resolve("broker/journal"));
    Files.write(dataDir.resolve("broker/journal/1.amq"), new byte[500]);
    DataDirUsage usage = usage(NOTHING, NOTHING);
    assertThat(usage.sizeBytes()).isEqualTo(1500);

    // when: a file is added within the period, and after it
    Files.write(dataDir.resolve("b.db"), new byte[200]);
    double within = usage.sizeBytes();
    clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    double after = usage.sizeBytes();

    // then
    assertThat(within).isEqualTo(1500);
    assertThat(after).isEqualTo(1700);
  }

  @Test
  void shouldMeasureTheParentsDiskWhenTheDataFolderDoesNotExistYet() {
    // given: a hub on PostgreSQL with an external broker may never create its data folder
    DataDirUsage usage =
        new DataDirUsage(
            dataDir.resolve("not/yet"), NOTHING, NOTHING, clock, Duration.ofMinutes(1));

    // then
    assertThat(usage.sizeBytes()).isZero();
    assertThat(usage.freeBytes()).isPositive();
    assertThat(usage.totalBytes()).isGreaterThanOrEqualTo(usage.freeBytes());
  }
}
