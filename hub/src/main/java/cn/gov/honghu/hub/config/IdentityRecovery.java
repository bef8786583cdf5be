package cn.gov.honghu.hub.config;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs the identity columns of the embedded H2 database after an unclean stop (kill -9, power
 * loss), right after the migrations and before anything else uses the database.
 *
 * <p>Important: H2 hands out identity values from a block (32 at a time) and writes the block's end
 * to disk only when a session crosses into the next block, after it has released the sequence to
 * the other sessions. A concurrent session may take a value of the new block and commit its row
 * before that write reaches the disk; a kill in between leaves committed rows above the identity's
 * persisted next value. After the restart H2 handed those values out again, and the insert failed
 * with a primary key violation: an inbox pull (its DELIVERED events in hub_event) or an ingest
 * (hub_message, delivery) answered 500 until the sequence had passed the committed rows. Every
 * identity column whose next value is not above its largest committed value is moved past it; a
 * value is never moved back. (Only the ids of outbox rows the relay deleted before the kill may be
 * handed out again, which is harmless: nothing refers to a relayed outbox row.) PostgreSQL logs
 * sequences in its write-ahead log and is left alone.
 */
final class IdentityRecovery implements Callback {

  private static final Logger log = LoggerFactory.getLogger(IdentityRecovery.class);

  private record Identity(String schema, String table, String column, long next) {}

  @Override
  public boolean supports(Event event, Context context) {
    return event == Event.AFTER_MIGRATE;
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context context) {
    return true;
  }

  @Override
  public void handle(Event event, Context context) {
    try {
      Connection connection = context.getConnection();
      if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
        return;
      }
      for (Identity identity : identities(connection)) {
        realign(connection, identity);
      }
    } catch (SQLException e) {
      throw new FlywayException("could not check the identity columns after migration", e);
    }
  }

  @Override
  public String getCallbackName() {
    return "hub-identity-recovery";
  }

  private static List<Identity> identities(Connection connection) throws SQLException {
    List<Identity> identities = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT table_schema, table_name, column_name, identity_base"
                    + " FROM information_schema.columns WHERE is_identity = 'YES'"
                    + " AND table_schema = CURRENT_SCHEMA ORDER BY table_name")) {
      while (rs.next()) {
        identities.add(
            new Identity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
      }
    }
    return identities;
  }

  private static void realign(Connection connection, Identity identity) throws SQLException {
    String table = quote(identity.schema()) + "." + quote(identity.table());
    String column = quote(identity.column());
    long largest;
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT MAX(" + column + ") FROM " + table)) {
      rs.next();
      largest = rs.getLong(1);
      if (rs.wasNull() || largest < identity.next()) {
        return;
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "ALTER TABLE " + table + " ALTER COLUMN " + column + " RESTART WITH " + (largest + 1));
    }
    log.warn(
        "Identity {}.{} was behind its committed rows after an unclean stop: next value {} moved"
            + " to {}",
        identity.table(),
        identity.column(),
        identity.next(),
        largest + 1);
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
