package cn.gov.honghu.hub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded database after a kill -9: H2 may come back with an identity whose next value is
 * below rows committed just before the kill (the end of its block of values had not reached the
 * disk). The hub's next insert into that table then failed with a primary key violation, which an
 * inbox pull answered with 500. The recovery at start moves such an identity past its rows.
 */
class IdentityRecoveryTest {

  @TempDir Path dataDir;

  private JdbcDataSource database;
  private JdbcTemplate jdbc;

  @BeforeEach
  void migrate() {
    database = new JdbcDataSource();
    database.setURL(
        "jdbc:h2:file:" + dataDir.resolve("hub").toAbsolutePath() + EmbeddedDefaults.H2_SETTINGS);
    database.setUser("sa");
    jdbc = new JdbcTemplate(database);
    start();
  }

  /** What the hub does with the database at every start: migrate, then the callbacks. */
  private void start() {
    Flyway.configure()
        .dataSource(database)
        .locations("classpath:db/migration")
        .callbacks(new IdentityRecovery())
        .load()
        .migrate();
  }

  @Test
  void shouldMoveAnIdentityPastItsCommittedRowsWhenTheCrashLeftItBehind() {
    // given: three events committed, and the identity back at 2 as H2 may reopen after a kill
    for (int i = 0; i < 3; i++) {
      appendEvent();
    }
    jdbc.execute("ALTER TABLE hub_event ALTER COLUMN id RESTART WITH 2");

    // when: the hub starts on this database
    start();

    // then: the next event gets a new id instead of violating the primary key
    assertThat(appendEvent()).isEqualTo(4);
  }

  @Test
  void shouldNeverMoveAnIdentityBackBelowValuesItAlreadyHandedOut() {
    // given: an outbox emptied by the relay, its identity past the deleted rows
    for (int i = 0; i < 3; i++) {
      jdbc.update(
          "INSERT INTO outbox (delivery_id, priority, created_at) VALUES (?, 0, ?)",
          "d-" + i,
          Timestamp.from(Instant.now()));
    }
    jdbc.update("DELETE FROM outbox WHERE id > 1");
    jdbc.execute("ALTER TABLE outbox ALTER COLUMN id RESTART WITH 40");

    // when: the hub starts on this database
    start();

    // then: the identity goes on from where it was
    assertThat(
            jdbc.queryForObject(
                "SELECT identity_base FROM information_schema.columns"
                    + " WHERE table_name = 'outbox' AND column_name = 'id'",
                Long.class))
        .isEqualTo(40);
  }

  private long appendEvent() {
    jdbc.update(
        "INSERT INTO hub_event (at, kind) VALUES (?, 'RECEIVED')", Timestamp.from(Instant.now()));
    return jdbc.queryForObject("SELECT MAX(id) FROM hub_event", Long.class);
  }
}
