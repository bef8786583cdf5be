package cn.gov.honghu.hub.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The database the unit tests' shared context wrote to, for the integration tests that look at it
 * after the whole suite (Failsafe runs after Surefire): PostgreSQL when HUB_TEST_DB_URL names it,
 * else the embedded H2 file of application-test.yml's {@code hub.data-dir}.
 */
public final class SuiteDatabase {

  /** The shared test context's data folder (application-test.yml {@code hub.data-dir}). */
  public static final Path TEST_DATA = Path.of("target/test-data/app");

  private SuiteDatabase() {}

  public static boolean isPostgres() {
    String url = System.getenv("HUB_TEST_DB_URL");
    return url != null && !url.isBlank();
  }

  /** A connection; the test is skipped when the unit tests left no embedded database. */
  public static Connection connect() throws SQLException {
    if (isPostgres()) {
      return DriverManager.getConnection(
          System.getenv("HUB_TEST_DB_URL"),
          System.getenv().getOrDefault("HUB_TEST_DB_USER", "postgres"),
          "");
    }
    Path db = TEST_DATA.resolve("db");
    assumeTrue(Files.isDirectory(db), "no embedded test database: the unit tests did not run");
    return DriverManager.getConnection(
        "jdbc:h2:file:"
            + db.resolve("hub").toAbsolutePath()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
        "sa",
        "");
  }
}
