package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.bench.BenchHub.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's settings. Every key can be given as a system property {@code bench.<key>} or as a
 * program argument {@code <key>=<value>} (arguments win); {@code mode} picks the defaults:
 *
 * <ul>
 *   <li>{@code full} (default): 3 runs, each a fresh hub (cold start), 10 s warm-up, 30 s closed
 *       loop, 20 s open loop at half the run's throughput, the alert lane (50,000 case messages
 *       queued, then alerts at 2/s for 30 s while they drain), then the broker ceiling 5 s + 10 s;
 *   <li>{@code smoke}: 1 run, a few seconds and at most a few hundred messages per phase;
 *   <li>{@code history} (issue 15): the full mode's phases, once on a store preloaded with {@code
 *       history-messages} (1,000,000) acknowledged messages and once on an empty one, each with
 *       {@code history-waiting} (50,000) deliveries waiting for the police, the pull answer times,
 *       the restart to ready, without the ceiling ({@link History});
 *   <li>{@code soak} (issue 15): {@code soak-minutes} (30) of the closed loop at full load,
 *       sampling every {@code soak-sample-s} (60) the store's size, the hub's heap and RSS and the
 *       throughput into a CSV file and a plot ({@link Soak}).
 * </ul>
 *
 * Other keys: {@code runs}, {@code concurrency} (posters of the closed loop, and producers of the
 * ceiling), {@code pull-limit} (inbox pull size, 1-500), {@code idle-ms} (a drainer's wait when its
 * inbox is empty), {@code warmup-s}, {@code throughput-s}, {@code latency-s}, {@code latency-load}
 * (fraction of the measured throughput, 0.5), {@code alert-backlog} (case messages queued before
 * the alert lane's alerts), {@code alert-rate} (alerts per second), {@code alert-s} (how long
 * alerts are posted), {@code ceiling-s}, {@code db} ({@code embedded} or {@code postgres}, with
 * {@code db-url}, {@code db-user}, {@code db-password} or the environment variables {@code
 * HUB_BENCH_DB_URL}, {@code HUB_BENCH_DB_USER}, {@code HUB_BENCH_DB_PASSWORD}), {@code
 * hub-jvm-opts} (space-separated options for the hub's JVM; by default the heap limit of the
 * README's run command), {@code jfr} ({@code true}: record the first run's hub with Java Flight
 * Recorder into the output directory), {@code out} (output directory) and {@code jar} (the hub jar;
 * also the system property {@code hub.jar}). History mode also takes {@code history-batch}
 * (messages per preload transaction), {@code pull-samples} (timed pulls per inbox) and {@code
 * preload-jvm-opts}; both history and soak take {@code keep-db} ({@code true}: leave the PostgreSQL
 * databases they create).
 */
record Options(
    String mode,
    Path jar,
    Path out,
    int runs,
    int concurrency,
    int pullLimit,
    Duration idle,
    Duration warmup,
    int warmupMax,
    Duration throughput,
    int throughputMax,
    Duration latency,
    double latencyLoad,
    int alertBacklog,
    double alertRate,
    Duration alertDuration,
    Duration ceilingWarmup,
    Duration ceiling,
    int ceilingMax,
    Duration drainTimeout,
    Database database,
    List<String> hubJvmOptions,
    boolean jfr,
    int historyMessages,
    int historyWaiting,
    int historyBatch,
    int pullSamples,
    List<String> preloadJvmOptions,
    Duration soak,
    Duration soakSample,
    boolean keepDatabase) {

  /** The hub's JVM options as the README's run command and the Dockerfile give them. */
  static final String HUB_JVM_OPTS = "-Xmx256m -XX:+ExitOnOutOfMemoryError";

  static final String DEFAULT_JAR = "hub/target/ecohub-hub-0.1.0-SNAPSHOT.jar";

  private static final Pattern SETTING = Pattern.compile("^-*([a-z][a-z0-9-]*)=(.*)$");

  /** Settings from system properties {@code bench.*}, overridden by {@code key=value} arguments. */
  static Options from(String[] args) {
    Map<String, String> settings = new HashMap<>();
    System.getProperties()
        .forEach(
            (key, value) -> {
              if (key.toString().startsWith("bench.")) {
                settings.put(key.toString().substring("bench.".length()), value.toString());
              }
            });
    // Maven passes all settings as one argument (-Dbench.args="runs=5 concurrency=18"): split it
    // at each "key=", so a value may hold spaces (hub-jvm-opts=-Xmx256m -XX:+UseSerialGC).
    String lastKey = null;
    for (String arg : args) {
      for (String token : arg.trim().split("\\s+")) {
        if (token.isBlank()) {
          continue;
        }
        Matcher setting = SETTING.matcher(token);
        if (setting.matches()) {
          lastKey = setting.group(1);
          settings.put(lastKey, setting.group(2));
        } else if (lastKey != null) {
          settings.put(lastKey, settings.get(lastKey) + " " + token);
        } else {
          throw new IllegalArgumentException("not a key=value setting: " + token);
        }
      }
    }
    return of(settings);
  }

  static Options of(Map<String, String> settings) {
    Map<String, String> s = new HashMap<>(settings);
    String mode = s.getOrDefault("mode", "full");
    boolean smoke =
        switch (mode) {
          case "full", "history", "soak" -> false;
          case "smoke" -> true;
          default ->
              throw new IllegalArgumentException(
                  "mode must be full, smoke, history or soak, not " + mode);
        };
    Path jar =
        Path.of(s.getOrDefault("jar", System.getProperty("hub.jar", DEFAULT_JAR))).toAbsolutePath();
    Path out =
        Path.of(
                s.getOrDefault(
                    "out",
                    jar.getParent() == null ? "bench" : jar.resolveSibling("bench").toString()))
            .toAbsolutePath();
    Database database = null;
    String db = s.getOrDefault("db", "embedded");
    if (db.equals("postgres")) {
      String url = s.getOrDefault("db-url", System.getenv("HUB_BENCH_DB_URL"));
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException("db=postgres needs db-url or HUB_BENCH_DB_URL");
      }
      database =
          new Database(
              url,
              s.getOrDefault("db-user", env("HUB_BENCH_DB_USER", "postgres")),
              s.getOrDefault("db-password", env("HUB_BENCH_DB_PASSWORD", "")));
    } else if (!db.equals("embedded")) {
      throw new IllegalArgumentException("db must be embedded or postgres, not " + db);
    }
    String jvm = s.getOrDefault("hub-jvm-opts", HUB_JVM_OPTS).trim();
    return new Options(
        mode,
        jar,
        out,
        integer(s, "runs", smoke || !mode.equals("full") ? 1 : 3),
        integer(s, "concurrency", smoke ? 9 : 36),
        integer(s, "pull-limit", 250),
        Duration.ofMillis(integer(s, "idle-ms", 100)),
        seconds(s, "warmup-s", smoke ? 0 : 10),
        smoke ? 0 : 100_000,
        seconds(s, "throughput-s", smoke ? 3 : 30),
        smoke ? 150 : 100_000,
        seconds(s, "latency-s", smoke ? 2 : 20),
        Double.parseDouble(s.getOrDefault("latency-load", "0.5")),
        integer(s, "alert-backlog", smoke ? 300 : 50_000),
        Double.parseDouble(s.getOrDefault("alert-rate", "2")),
        seconds(s, "alert-s", smoke ? 2 : 30),
        seconds(s, "ceiling-warmup-s", smoke ? 0 : 5),
        seconds(s, "ceiling-s", smoke ? 1 : 10),
        smoke ? 2_000 : 1_000_000,
        seconds(s, "drain-timeout-s", smoke ? 30 : 90),
        database,
        jvm.isEmpty() ? List.of() : Arrays.asList(jvm.split("\\s+")),
        Boolean.parseBoolean(s.getOrDefault("jfr", "false")),
        integer(s, "history-messages", 1_000_000),
        integer(s, "history-waiting", 50_000),
        integer(s, "history-batch", 1_000),
        integer(s, "pull-samples", 100),
        List.of(s.getOrDefault("preload-jvm-opts", "-Xmx1g").trim().split("\\s+")),
        Duration.ofMillis(
            (long) (60_000 * Double.parseDouble(s.getOrDefault("soak-minutes", "30")))),
        seconds(s, "soak-sample-s", 60),
        Boolean.parseBoolean(s.getOrDefault("keep-db", "false")));
  }

  private static int integer(Map<String, String> s, String key, int fallback) {
    return s.containsKey(key) ? Integer.parseInt(s.get(key).trim()) : fallback;
  }

  private static Duration seconds(Map<String, String> s, String key, int fallback) {
    return Duration.ofMillis(
        (long) (1000 * (s.containsKey(key) ? Double.parseDouble(s.get(key).trim()) : fallback)));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
