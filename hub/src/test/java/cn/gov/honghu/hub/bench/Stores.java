package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.bench.BenchHub.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The store a history or soak run uses, fresh for the run: the embedded H2 in the hub's data
 * folder, or a PostgreSQL database of its own created next to the configured one (so a run never
 * finds another run's rows, and its size is its own). Also what the store takes on disk.
 */
final class Stores {

  private Stores() {}

  /** A fresh PostgreSQL database beside {@code configured}'s, reached with its user. */
  static Database createBeside(Database configured, String purpose) throws SQLException {
    String url = configured.url();
    int slash = url.lastIndexOf('/');
    int query = url.indexOf('?', slash);
    String name =
        "ecohub_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String fresh = url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query));
    admin(configured, "CREATE DATABASE " + name);
    return new Database(fresh, configured.user(), configured.password());
  }

  /** Drops a database made by {@link #createBeside}, through the configured one. */
  static void drop(Database configured, Database created) throws SQLException {
    String url = created.url();
    int slash = url.lastIndexOf('/');
    int query = url.indexOf('?', slash);
    String name = url.substring(slash + 1, query < 0 ? url.length() : query);
    admin(configured, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void admin(Database database, String statement) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                database.url(),
                database.user(),
                database.password() == null ? "" : database.password());
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }

  /**
   * Bytes the store takes: PostgreSQL's {@code pg_database_size}, or the embedded database's folder
   * ({@code <data-dir>/db}).
   */
  static long storeBytes(Database database, Path dataDir) {
    if (database != null) {
      try (Connection connection =
              DriverManager.getConnection(
                  database.url(),
                  database.user(),
                  database.password() == null ? "" : database.password());
          Statement sql = connection.createStatement();
          ResultSet size = sql.executeQuery("SELECT pg_database_size(current_database())")) {
        size.next();
        return size.getLong(1);
      } catch (SQLException e) {
        return -1;
      }
    }
    return folderBytes(dataDir.resolve("db"));
  }

  /** Bytes of the files under {@code dir} (0 when it does not exist). */
  static long folderBytes(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              file -> {
                try {
                  return Files.size(file);
                } catch (IOException gone) {
                  return 0; // a file removed while walking (H2 rewrites, the broker's journal)
                }
              })
          .sum();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  static String describe(Database database) {
    return database == null ? "embedded H2" : "PostgreSQL";
  }

  /** A short name for file names: h2 or postgres. */
  static String tag(Database database) {
    return database == null ? "h2" : "postgres";
  }
}
