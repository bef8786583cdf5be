package cn.gov.honghu.hub.bench;

import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The packaged hub in its own JVM, started as a user starts it ({@code java -jar}, embedded
 * defaults under a fresh data directory, dev keys generated on first start), or against PostgreSQL
 * with the {@code postgres} profile and {@code HUB_DB_*} variables, as the README describes. Like
 * the test suite's {@code HubProcess}, but it exposes what the benchmark measures: the time from
 * launch to readiness and the process' peak resident set size ({@code VmHWM}).
 */
final class BenchHub implements AutoCloseable {

  /** PostgreSQL connection for the hub, or null for the embedded H2 default. */
  record Database(String url, String user, String password) {}

  private final Path dataDir;
  private final int port;
  private final Process process;
  private final long launchedNanos;
  private long readyNanos;

  private BenchHub(Path dataDir, int port, Process process, long launchedNanos) {
    this.dataDir = dataDir;
    this.port = port;
    this.process = process;
    this.launchedNanos = launchedNanos;
  }

  /** Launches the jar and waits until {@code /actuator/health/readiness} answers 200. */
  static BenchHub start(
      Path jar, Path dataDir, List<String> jvmOptions, Database database, Duration timeout)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "hub jar not found at " + jar + ": build it first (./mvnw -B -q package -DskipTests)");
    }
    Files.createDirectories(dataDir);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    command.add("--hub.data-dir=" + dataDir);
    command.add("--server.port=" + port);
    if (database != null) {
      command.add("--spring.profiles.active=postgres");
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("HUB_"));
    if (database != null) {
      env.put("HUB_DB_URL", database.url());
      env.put("HUB_DB_USER", database.user());
      env.put("HUB_DB_PASSWORD", database.password() == null ? "" : database.password());
    }
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("hub.log").toFile()));
    long launched = System.nanoTime();
    BenchHub hub = new BenchHub(dataDir, port, builder.start(), launched);
    hub.awaitReady(timeout);
    return hub;
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      org.awaitility.Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(25))
          .until(() -> isReady(http, ready));
      readyNanos = System.nanoTime();
    } catch (org.awaitility.core.ConditionTimeoutException notReady) {
      close();
      throw new IllegalStateException(
          "the hub was not ready within " + timeout + "; see " + dataDir.resolve("hub.log"));
    }
  }

  private boolean isReady(HttpClient http, HttpRequest ready) throws InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the hub exited with " + process.exitValue() + "; see " + dataDir.resolve("hub.log"));
    }
    try {
      return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false; // not listening yet
    }
  }

  /** From launching the JVM to the first 200 of the readiness probe. */
  Duration coldStart() {
    return Duration.ofNanos(readyNanos - launchedNanos);
  }

  long pid() {
    return process.pid();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  Path dataDir() {
    return dataDir;
  }

  /** The plain dev keys the hub wrote on its first start. */
  Properties devKeys() throws IOException {
    Properties keys = new Properties();
    try (Reader reader =
        Files.newBufferedReader(dataDir.resolve("dev-keys.properties"), StandardCharsets.UTF_8)) {
      keys.load(reader);
    }
    return keys;
  }

  /** CPU time the hub's process has used so far (user and system), in seconds; -1 if unknown. */
  double cpuSeconds() {
    return process.info().totalCpuDuration().map(cpu -> cpu.toNanos() / 1e9).orElse(-1.0);
  }

  /**
   * The hub's heap in use, in bytes: the sum of {@code jvm_memory_used_bytes{area="heap"}} over the
   * heap pools on {@code /actuator/prometheus} (anonymous, as a scraper reads it); -1 when
   * unavailable.
   */
  long heapUsedBytes() {
    return (long)
        scrapeSum(
            line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""));
  }

  /**
   * The longest step of the embedded store's maintenance in Micrometer's recent window (about two
   * minutes), in milliseconds: {@code hub_store_maintenance_seconds_max}; -1 where there is none
   * (PostgreSQL) or the scrape failed.
   */
  double storeMaintenanceMaxMillis() {
    double seconds =
        scrapeSum(
            line ->
                line.startsWith("hub_store_maintenance_seconds_max ")
                    || line.startsWith("hub_store_maintenance_seconds_max{"));
    return seconds < 0 ? -1 : seconds * 1000;
  }

  /** The sum of the values of the matching lines of {@code /actuator/prometheus}; -1 if none. */
  private double scrapeSum(java.util.function.Predicate<String> line) {
    try {
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(2))
              .build();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return -1;
      }
      double sum = 0;
      boolean found = false;
      for (String text : response.body().split("\n")) {
        if (line.test(text)) {
          sum += Double.parseDouble(text.substring(text.lastIndexOf(' ') + 1));
          found = true;
        }
      }
      return found ? sum : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The process' peak resident set size so far, in KiB ({@code VmHWM}); -1 off Linux. */
  long peakRssKib() {
    return procStatus("VmHWM:");
  }

  /** The process' current resident set size, in KiB ({@code VmRSS}); -1 off Linux. */
  long rssKib() {
    return procStatus("VmRSS:");
  }

  private long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
        }
      }
    } catch (IOException | NumberFormatException unavailable) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  /** SIGTERM (a graceful stop, so a flight recording is dumped), SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }
}
