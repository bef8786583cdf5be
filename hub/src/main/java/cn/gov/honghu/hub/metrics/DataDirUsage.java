package cn.gov.honghu.hub.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.util.unit.DataSize;

/**
 * The data folder ({@code hub.data-dir}: the embedded database, the broker journal, the keys) and
 * the disk it lives on, as meters and as the health component {@code disk}: {@code hub.data.dir}
 * (bytes under the folder), {@code hub.disk.free} (bytes the hub may still write on its file
 * system) and {@code hub.disk.total}.
 *
 * <p>The folder's size is a walk over its files, which takes a while on a large store: it is
 * computed at most once per {@code sizeTtl}, whatever the scrape rate. The free space is one system
 * call and read fresh each time: it is what the health check decides on. A file removed during the
 * walk (the database's temporary files) is skipped, not an error.
 */
public final class DataDirUsage {

  /** The health component's statuses: ready but warned, and not ready. */
  public enum Level {
    OK,
    WARNING,
    CRITICAL
  }

  private final Path dataDir;
  private final DataSize warnFree;
  private final DataSize minFree;
  private final ScrapeCache<Long> size;

  public DataDirUsage(
      Path dataDir, DataSize warnFree, DataSize minFree, Clock clock, Duration sizeTtl) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.warnFree = warnFree;
    this.minFree = minFree;
    this.size = new ScrapeCache<>(this::walk, clock, sizeTtl);
  }

  void register(MeterRegistry registry) {
    Gauge.builder("hub.data.dir", this, DataDirUsage::sizeBytes)
        .description("Bytes under hub.data-dir (embedded database, broker journal, keys)")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("hub.disk.free", this, DataDirUsage::freeBytes)
        .description("Bytes the hub may still write on the file system of hub.data-dir")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("hub.disk.total", this, DataDirUsage::totalBytes)
        .description("Size of the file system of hub.data-dir")
        .baseUnit("bytes")
        .register(registry);
  }

  public double sizeBytes() {
    return size.get();
  }

  /** Usable bytes on the data folder's file system; NaN when it cannot be read. */
  public double freeBytes() {
    try {
      return Files.getFileStore(existing()).getUsableSpace();
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  public double totalBytes() {
    try {
      return Files.getFileStore(existing()).getTotalSpace();
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** How the free space compares with {@code hub.disk.warn-free} and {@code hub.disk.min-free}. */
  public Level level() {
    double free = freeBytes();
    if (Double.isNaN(free) || free < minFree.toBytes()) {
      return Level.CRITICAL;
    }
    return free < warnFree.toBytes() ? Level.WARNING : Level.OK;
  }

  public DataSize warnFree() {
    return warnFree;
  }

  public DataSize minFree() {
    return minFree;
  }

  /** The data folder, or its nearest existing parent before the hub created it. */
  private Path existing() {
    Path path = dataDir;
    while (path != null && !Files.exists(path)) {
      path = path.getParent();
    }
    return path == null ? Path.of("").toAbsolutePath() : path;
  }

  private long walk() {
    if (!Files.isDirectory(dataDir)) {
      return 0L;
    }
    AtomicLong total = new AtomicLong();
    try {
      Files.walkFileTree(
          dataDir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              total.addAndGet(attributes.size());
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // the walk's own failures are skipped above; what is left is the folder vanishing
      return total.get();
    }
    return total.get();
  }
}
