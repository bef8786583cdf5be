package cn.gov.honghu.hub.deadlines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.Messages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One overdue notice per deadline, however many hub instances watch the same database and however
 * often they restart: two application contexts share one database (PostgreSQL in CI) and sweep it
 * at the same time; then both stop, the deadlines of a few more cases pass while no hub runs, and a
 * restarted hub sends exactly the notices that are missing.
 */
class OverdueExactlyOnceTest {

  private static final int CASES = 20;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path first;
  @TempDir Path second;

  private static ConfigurableApplicationContext start(Path dataDir, String sharedDatabase) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--hub.data-dir=" + dataDir);
    args.add("--hub.deadlines.D1=PT2S");
    if (sharedDatabase != null) {
      args.add("--spring.datasource.url=" + sharedDatabase);
    }
    return new SpringApplicationBuilder(HubApplication.class)
        .profiles("test")
        .run(args.toArray(String[]::new));
  }

  @Test
  void shouldSendEachOverdueNoticeOnceWhenTwoInstancesSweepOneDatabaseAndRestart()
      throws Exception {
    List<String> racedCases = new ArrayList<>();
    List<String> downtimeCases = new ArrayList<>();
    String database;

    // given: two hubs on one database
    try (ConfigurableApplicationContext a = start(first, null)) {
      database = a.getEnvironment().getProperty("spring.datasource.url");
      try (ConfigurableApplicationContext b = start(second, database)) {
        HubClient hub = client(a);
        for (int i = 0; i < CASES; i++) {
          String caseNumber = Messages.newCaseNumber();
          post(hub, caseNumber);
          racedCases.add(caseNumber);
        }

        // when: both sweep as fast as they can while the deadlines fall due
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService sweepers = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        for (ConfigurableApplicationContext instance : List.of(a, b)) {
          OverdueWatch watch = instance.getBean(OverdueWatch.class);
          running.add(
              sweepers.submit(
                  () -> {
                    while (!done.get()) {
                      watch.sweep();
                    }
                  }));
        }
        JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);
        try {
          await().atMost(PATIENCE).until(() -> overdue(jdbc, racedCases) == CASES);
        } finally {
          done.set(true);
          for (Future<?> sweeper : running) {
            sweeper.get();
          }
          sweepers.shutdown();
        }

        // then: one notice per deadline
        for (String caseNumber : racedCases) {
          assertThat(notices(jdbc, caseNumber)).as("notices for %s", caseNumber).isOne();
        }

        // and: three more transfers whose deadlines pass while no hub runs
        for (int i = 0; i < 3; i++) {
          String caseNumber = Messages.newCaseNumber();
          post(hub, caseNumber);
          downtimeCases.add(caseNumber);
        }
      }
    }

    // when: a hub starts again after the due time
    try (ConfigurableApplicationContext again = start(first, database)) {
      JdbcTemplate jdbc = again.getBean(JdbcTemplate.class);

      // then: the missing notices go out, once each, and none of the earlier ones again
      await().atMost(PATIENCE).until(() -> overdue(jdbc, downtimeCases) == downtimeCases.size());
      again.getBean(OverdueWatch.class).sweep();
      for (String caseNumber : downtimeCases) {
        assertThat(notices(jdbc, caseNumber)).as("notices for %s", caseNumber).isOne();
      }
      for (String caseNumber : racedCases) {
        assertThat(notices(jdbc, caseNumber)).as("notices for %s", caseNumber).isOne();
      }
    }
  }

  private static HubClient client(ConfigurableApplicationContext context) {
    return new HubClient(((WebServerApplicationContext) context).getWebServer().getPort());
  }

  private static void post(HubClient hub, String caseNumber) {
    assertThat(
            hub.post("agriculture", Messages.of("CASE_TRANSFER", "agriculture", caseNumber, null))
                .status())
        .isEqualTo(202);
  }

  private static int overdue(JdbcTemplate jdbc, List<String> caseNumbers) {
    int overdue = 0;
    for (String caseNumber : caseNumbers) {
      Integer count =
          jdbc.queryForObject(
              "SELECT COUNT(*) FROM case_deadline WHERE case_number = ? AND deadline_id = 'D1'"
                  + " AND state = 'OVERDUE'",
              Integer.class,
              caseNumber);
      overdue += count == null ? 0 : count;
    }
    return overdue;
  }

  private static int notices(JdbcTemplate jdbc, String caseNumber) {
    Integer count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM hub_message WHERE case_number = ? AND type = 'DEADLINE_OVERDUE'",
            Integer.class,
            caseNumber);
    return count == null ? 0 : count;
  }
}
