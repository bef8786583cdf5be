package cn.gov.honghu.hub.support;

import static org.awaitility.Awaitility.await;

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
import java.util.Properties;

/**
 * The packaged hub in its own JVM, as an operator runs it: embedded defaults under a data
 * directory, or PostgreSQL when HUB_TEST_DB_URL is set. {@link #kill()} is a SIGKILL.
 */
public final class HubProcess implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> appArgs = new ArrayList<>();
  private Process process;

  public HubProcess(Path dataDir) throws IOException {
    this.dataDir = dataDir;
    try (ServerSocket socket = new ServerSocket(0)) {
      this.port = socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** JVM options and hub arguments for the next {@link #start()} (replacing earlier ones). */
  public HubProcess withArgs(List<String> jvmOptions, List<String> hubArguments) {
    jvmArgs.clear();
    jvmArgs.addAll(jvmOptions);
    appArgs.clear();
    appArgs.addAll(hubArguments);
    return this;
  }

  /** Waits for the process to end by itself (e.g. a fault hook halted it); returns its code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the hub did not exit within " + timeout);
    }
    return process.exitValue();
  }

  /** Starts the hub and waits until it reports ready (Camel routes up, database reachable). */
  public HubProcess start() throws IOException {
    String jar = System.getProperty("hub.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("hub.jar is not built: run through ./mvnw verify");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar));
    command.add("--hub.data-dir=" + dataDir);
    command.add("--server.port=" + port);
    // Health "disk" would say WARNING on a build machine with less than 5 GB free; the tests that
    // check for UP are not about the machine's disk (metrics/DiskWarningTest is).
    command.add("--hub.disk.warn-free=100MB");
    command.add("--hub.disk.min-free=10MB");
    command.addAll(TestKeys.piiArguments());
    String dbUrl = System.getenv("HUB_TEST_DB_URL");
    if (dbUrl != null && !dbUrl.isBlank()) {
      command.add("--spring.datasource.url=" + dbUrl);
      command.add(
          "--spring.datasource.username="
              + System.getenv().getOrDefault("HUB_TEST_DB_USER", "postgres"));
    }
    command.addAll(appArgs);
    Files.createDirectories(dataDir);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("hub.log").toFile()))
            .start();
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("hub exited; see " + dataDir.resolve("hub.log"));
              }
              HttpResponse<String> ready =
                  http.send(
                      HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              return ready.statusCode() == 200;
            });
    return this;
  }

  /** SIGKILL: no shutdown hook, no flush, exactly as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** The dev keys the hub wrote on its first start. */
  public Properties devKeys() throws IOException {
    Properties keys = new Properties();
    try (Reader reader =
        Files.newBufferedReader(dataDir.resolve("dev-keys.properties"), StandardCharsets.UTF_8)) {
      keys.load(reader);
    }
    return keys;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
