package cn.gov.honghu.hub.config;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.agency.DevKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Secrets stay out of what the hub prints and out of other users' reach (HUB-SPEC section 11): the
 * configuration records' {@code toString()} (Spring prints bound records in failure analysis) and
 * the permissions of the key files the hub generates.
 */
class SecretsNotPrintedTest {

  private static final String WEBHOOK_SECRET = "webhook-secret-value-123";
  private static final String JMS_PASSWORD = "jms-password-value-456";
  private static final String PARTY_KEY = "party-hash-key-value-789";
  private static final String PII_KEY = "cGlpLWtleS12YWx1ZS0wMTIzNDU2Nzg5MDEyMzQ1Njc4OQ==";
  private static final String AGENCY_HASH = "d".repeat(64);
  private static final String ADMIN_HASH = "e".repeat(64);

  @TempDir Path dataDir;

  @Test
  void shouldPrintNoSecretWhenTheConfigurationIsPrinted() {
    // given
    Map<String, String> properties =
        Map.ofEntries(
            Map.entry("hub.agencies[0].code", "environment"),
            Map.entry("hub.agencies[0].name", "environment"),
            Map.entry("hub.agencies[0].kind", "administrative"),
            Map.entry("hub.agencies[0].api-key-sha256", AGENCY_HASH),
            Map.entry("hub.agencies[0].delivery.mode", "webhook"),
            Map.entry("hub.agencies[0].delivery.url", "https://example.org/hook"),
            Map.entry("hub.agencies[0].delivery.secret", WEBHOOK_SECRET),
            Map.entry("hub.agencies[1].code", "water"),
            Map.entry("hub.agencies[1].name", "water"),
            Map.entry("hub.agencies[1].kind", "administrative"),
            Map.entry("hub.agencies[1].api-key-sha256", "f".repeat(64)),
            Map.entry("hub.agencies[1].delivery.mode", "jms"),
            Map.entry("hub.agencies[1].delivery.user", "water"),
            Map.entry("hub.agencies[1].delivery.password", JMS_PASSWORD),
            Map.entry("hub.admins[0].name", "ops"),
            Map.entry("hub.admins[0].api-key-sha256", ADMIN_HASH),
            Map.entry("hub.party-hash-key", PARTY_KEY),
            Map.entry("hub.pii.keys.k1", PII_KEY),
            Map.entry("hub.pii.active-key", "k1"),
            Map.entry("hub.audit.signing-key", "-----BEGIN PRIVATE KEY-----secret"));
    HubProperties hub =
        new Binder(new MapConfigurationPropertySource(properties))
            .bind("hub", HubProperties.class)
            .get();
    // when
    List<String> printed =
        List.of(
            hub.toString(),
            hub.agencies().get(0).toString(),
            hub.agencies().get(0).delivery().toString(),
            hub.agencies().get(1).delivery().toString(),
            hub.admins().get(0).toString());
    // then
    for (String text : printed) {
      assertThat(text)
          .doesNotContain(
              WEBHOOK_SECRET,
              JMS_PASSWORD,
              PARTY_KEY,
              PII_KEY,
              "BEGIN PRIVATE",
              AGENCY_HASH,
              ADMIN_HASH);
    }
    // and what is not secret is still there, for the reader of a failure
    assertThat(hub.toString())
        .contains("environment", "https://example.org/hook", "secret=(set)", "password=(set)");
  }

  @Test
  void shouldWriteGeneratedKeyFilesReadableByTheOwnerOnly() throws Exception {
    // when: the embedded default generates its dev keys
    DevKeys.loadOrCreate(dataDir, List.of("police"), "ops");
    // then
    assertThat(permissions(dataDir.resolve("dev-keys.properties"))).isEqualTo("rw-------");
    assertThat(permissions(dataDir.resolve("dev-key-hashes.properties"))).isEqualTo("rw-------");
  }

  @Test
  void shouldNarrowAKeyFileWrittenWithWiderPermissions() throws Exception {
    // given: a key file an older version left readable by everyone
    Path key = dataDir.resolve("party-hash.key");
    Files.writeString(key, "old");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    // when
    OwnerOnlyFiles.restrict(key);
    OwnerOnlyFiles.write(dataDir.resolve("new.key"), "secret");
    // then
    assertThat(permissions(key)).isEqualTo("rw-------");
    assertThat(permissions(dataDir.resolve("new.key"))).isEqualTo("rw-------");
    assertThat(Files.readString(dataDir.resolve("new.key"))).isEqualTo("secret");
  }

  private static String permissions(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
