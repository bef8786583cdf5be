package cn.gov.honghu.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.Inboxes;
import cn.gov.honghu.hub.support.Messages;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Personal data at rest (HUB-SPEC section 11), in the shared test context (PostgreSQL in CI): an
 * accepted transfer's party name, ID number and phone are in no column of any table, while the
 * police, a party of the case, pull them in plain text.
 */
@ApplicationTest
class PersonalDataAtRestTest {

  private static final Set<Integer> TEXT_TYPES =
      Set.of(
          Types.VARCHAR,
          Types.CHAR,
          Types.LONGVARCHAR,
          Types.CLOB,
          Types.NVARCHAR,
          Types.NCHAR,
          Types.LONGNVARCHAR,
          Types.NCLOB,
          Types.OTHER);

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired DataSource dataSource;

  @Test
  void noTableHoldsAPartysNameIdNumberOrPhoneWhileTheRecipientReadsThem() throws Exception {
    HubClient hub = new HubClient(port);
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    String messageId = transfer.get("messageId").asString();
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);

    String stored =
        jdbc.queryForObject(
            "SELECT envelope FROM hub_message WHERE message_id = ?", String.class, messageId);
    assertThat(stored).startsWith("enc:aes-gcm:");

    List<String> found = new ArrayList<>();
    for (String[] column : textColumns()) {
      for (String value :
          List.of(Messages.SUSPECT_ID, Messages.SUSPECT_PHONE, Messages.SUSPECT_NAME)) {
        Long rows =
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM "
                    + column[0]
                    + " WHERE CAST("
                    + column[1]
                    + " AS VARCHAR(100000)) LIKE ?",
                Long.class,
                "%" + value + "%");
        if (rows != null && rows > 0) {
          found.add(column[0] + "." + column[1] + " holds " + value.length() + " chars of it");
        }
      }
    }
    assertThat(found).as("columns with personal data in plain text").isEmpty();

    JsonNode delivery = Inboxes.ofMessage(hub, "police", messageId);
    assertThat(delivery).isNotNull();
    JsonNode party = delivery.get("message").get("payload").get("parties").get(0);
    assertThat(party.get("idNumber").asString()).isEqualTo(Messages.SUSPECT_ID);
    assertThat(party.get("name").asString()).isEqualTo(Messages.SUSPECT_NAME);
  }

  /** Every text column of the hub's own tables: {table, column}. */
  private List<String[]> textColumns() throws Exception {
    List<String[]> columns = new ArrayList<>();
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData meta = connection.getMetaData();
      String schema = connection.getSchema();
      try (ResultSet rs = meta.getColumns(null, schema, "%", "%")) {
        while (rs.next()) {
          String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
          if (table.startsWith("flyway") || !TEXT_TYPES.contains(rs.getInt("DATA_TYPE"))) {
            continue;
          }
          columns.add(new String[] {table, rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT)});
        }
      }
    }
    assertThat(columns).extracting(c -> c[0] + "." + c[1]).contains("hub_message.envelope");
    return columns;
  }
}
