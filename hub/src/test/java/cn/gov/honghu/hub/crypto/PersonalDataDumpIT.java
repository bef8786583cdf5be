package cn.gov.honghu.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.Messages;
import cn.gov.honghu.hub.support.SuiteDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After the suite (Failsafe runs after every unit test has written to the shared test database): a
 * dump of that database holds none of the test messages' personal data in plain text (HUB-SPEC
 * section 11). On PostgreSQL the dump is {@code pg_dump}'s; on the embedded default H2's own {@code
 * SCRIPT} and the raw bytes of its files.
 */
class PersonalDataDumpIT {

  private static final List<String> PERSONAL =
      List.of(Messages.SUSPECT_ID, Messages.SUSPECT_PHONE, Messages.SUSPECT_NAME);

  @Test
  void aDumpOfTheSuitesDatabaseHoldsNoPartyNameIdNumberOrPhone() throws Exception {
    String dump = SuiteDatabase.isPostgres() ? pgDump(System.getenv("HUB_TEST_DB_URL")) : h2Dump();
    // the dump is of a database the suite used: it has messages, and their envelopes are sealed
    assertThat(dump.contains("hub_message") && dump.contains("enc:aes-gcm:"))
        .as("the dump has the hub's tables and sealed envelopes")
        .isTrue();
    for (String value : PERSONAL) {
      assertThat(dump.contains(value))
          .as("the dump holds a party's %d-character value in plain text", value.length())
          .isFalse();
    }
  }

  private static String pgDump(String jdbcUrl) throws Exception {
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    String user = System.getenv().getOrDefault("HUB_TEST_DB_USER", "postgres");
    Process dump =
        new ProcessBuilder(
                "pg_dump",
                "-h",
                uri.getHost(),
                "-p",
                String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()),
                "-U",
                user,
                uri.getPath().substring(1))
            .redirectErrorStream(true)
            .start();
    String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(dump.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(dump.exitValue()).as(text.lines().limit(5).toList().toString()).isZero();
    return text;
  }

  private static String h2Dump() throws Exception {
    StringBuilder dump = new StringBuilder();
    try (Connection connection = SuiteDatabase.connect();
        Statement statement = connection.createStatement();
        ResultSet script = statement.executeQuery("SCRIPT")) {
      while (script.next()) {
        dump.append(script.getString(1)).append('\n');
      }
    }
    Path db = SuiteDatabase.TEST_DATA.resolve("db");
    // and the files themselves, page versions included
    try (Stream<Path> files = Files.walk(db)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        dump.append(new String(read(file), StandardCharsets.UTF_8));
      }
    }
    return dump.toString();
  }

  private static byte[] read(Path file) throws IOException {
    return Files.readAllBytes(file);
  }
}
