package cn.gov.honghu.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.support.TestPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two PostgreSQL accounts of a production deployment (HUB-SPEC section 11, "Audit trail"):
 * deploy/postgres/init-accounts.sql creates the owner and the runtime account, the hub's migrations
 * run as the owner, and the runtime account may INSERT and SELECT audit_entry but neither UPDATE,
 * DELETE nor TRUNCATE it. PostgreSQL only (H2 has no such accounts); skipped without PostgreSQL
 * outside CI, like the other PostgreSQL-only tests.
 */
class DatabaseAccountsTest {

  private static final String DATABASE = "hub_accounts_test";
  private static final String OWNER = "hub_accounts_owner";
  private static final String RUNTIME = "hub_accounts_runtime";
  private static final Path INIT_SQL = Path.of("../deploy/postgres/init-accounts.sql");

  private String adminUrl;

  @AfterEach
  void dropDatabaseAndRoles() throws SQLException {
    if (adminUrl != null) {
      dropAll();
    }
  }

  @Test
  void shouldLetTheRuntimeAccountOnlyInsertAndSelectAuditEntriesWhenMigratedByTheOwner()
      throws Exception {
    // given: a fresh database with the two accounts of deploy/postgres/init-accounts.sql
    adminUrl = TestPostgres.url();
    dropAll();
    try (Connection admin = connect(adminUrl, TestPostgres.user());
        Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE " + DATABASE);
    }
    String url = TestPostgres.withDatabase(adminUrl, DATABASE);
    runInitScript(url);

    // when: the hub's migrations run as the owner, the hub's runtime account named as in
    // application.yml (spring.flyway.placeholders)
    Flyway.configure()
        .dataSource(url, OWNER, "")
        .locations("classpath:db/migration", "classpath:db/vendor/postgresql")
        .placeholders(Map.of("runtime_role", RUNTIME))
        .load()
        .migrate();

    // then: the runtime account appends to and reads the chain, and moves its head
    try (Connection runtime = connect(url, RUNTIME);
        Statement sql = runtime.createStatement()) {
      assertThat(
              sql.executeUpdate(
                  "INSERT INTO audit_entry (seq, at, kind, actor, detail, prev_hash, hash)"
                      + " VALUES (1, now(), 'AUTH_FAILED', 'anonymous', 'source=10.0.0.1', '0',"
                      + " '1')"))
          .isEqualTo(1);
      try (var rows = sql.executeQuery("SELECT count(*) FROM audit_entry")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(1);
      }
      assertThat(sql.executeUpdate("UPDATE audit_head SET seq = 1, hash = '1' WHERE id = 1"))
          .isEqualTo(1);
      // and works with the hub's other tables as before
      try (var rows = sql.executeQuery("SELECT count(*) FROM hub_message")) {
        assertThat(rows.next()).isTrue();
      }

      // but may not change or remove an entry, nor the head row
      for (String forbidden :
          List.of(
              "UPDATE audit_entry SET detail = 'rewritten' WHERE seq = 1",
              "DELETE FROM audit_entry WHERE seq = 1",
              "TRUNCATE audit_entry",
              "DELETE FROM audit_head",
              "DELETE FROM flyway_schema_history")) {
        assertThatThrownBy(() -> sql.execute(forbidden))
            .as(forbidden)
            .isInstanceOfSatisfying(
                SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501"));
      }
    }
  }

  private void runInitScript(String url) throws Exception {
    assertThat(INIT_SQL).exists();
    URI target = URI.create(url.substring("jdbc:".length()));
    Process psql =
        new ProcessBuilder(
                "psql",
                "-h",
                target.getHost(),
                "-p",
                String.valueOf(target.getPort() == -1 ? 5432 : target.getPort()),
                "-U",
                TestPostgres.user(),
                "-d",
                DATABASE,
                "-v",
                "db=" + DATABASE,
                "-v",
                "owner=" + OWNER,
                "-v",
                "owner_password=test-only",
                "-v",
                "runtime=" + RUNTIME,
                "-v",
                "runtime_password=test-only",
                "-q",
                "-f",
                INIT_SQL.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(psql.getInputStream().readAllBytes());
    assertThat(psql.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(psql.exitValue()).as(output).isZero();
  }

  private void dropAll() throws SQLException {
    try (Connection admin = connect(adminUrl, TestPostgres.user());
        Statement sql = admin.createStatement()) {
      sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      for (String role : List.of(RUNTIME, OWNER)) {
        try (var exists =
            sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
          if (!exists.next()) {
            continue;
          }
        }
        // Default privileges and grants in the test database are gone with it.
        sql.execute("DROP OWNED BY " + role);
        sql.execute("DROP ROLE " + role);
      }
    }
  }

  private static Connection connect(String url, String user) throws SQLException {
    return DriverManager.getConnection(url, user, "");
  }
}
