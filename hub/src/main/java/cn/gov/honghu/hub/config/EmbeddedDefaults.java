package cn.gov.honghu.hub.config;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded defaults under {@code hub.data-dir}, with the path made absolute (H2 refuses
 * implicitly relative paths):
 *
 * <ul>
 *   <li>when no {@code spring.datasource.url} is configured, an H2 file database with {@code
 *       WRITE_DELAY=0}, so a committed transaction reaches the file before the 202 is answered
 *       (H2's default 500 ms delay could lose accepted messages on kill -9);
 *   <li>when no {@code spring.artemis.embedded.data-directory} is configured, the embedded broker's
 *       persistent journal in {@code <data-dir>/broker};
 *   <li>when the broker is embedded and no {@code spring.artemis.user} is configured, an internal
 *       broker user for the hub itself with a random password, new at every start and kept nowhere
 *       but in this process: the embedded broker is secured (BrokerConfiguration), so the hub has
 *       to sign in too.
 * </ul>
 */
class EmbeddedDefaults implements EnvironmentPostProcessor, Ordered {

  // RETENTION_TIME=0: the space of an unused chunk is reused at once; COMPRESS: pages are written
  // compressed, a third of the bytes for JSON text (EmbeddedStoreMaintenance, docs/performance.md).
  // DB_CLOSE_ON_EXIT=FALSE: the pool closes the database after the hub's last use of it, instead
  // of H2's own shutdown hook closing it under the routes still stopping. QUERY_CACHE_SIZE: a
  // message runs more distinct statements than H2's default cache of 8 per session holds, and
  // parsing them again took a fifth of the time.
  // LOCK_TIMEOUT: wait for a row lock (a case, a water area's alerts) as PostgreSQL does, instead
  // of H2's default 1 s, after which a busy hub answered 503 to messages it could have taken.
  static final String H2_SETTINGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
          + ";LOCK_TIMEOUT=10000;RETENTION_TIME=0;COMPRESS=TRUE;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=256";

  private static final String INTERNAL_BROKER_USER = "hub-internal";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication app) {
    Path dataDir =
        Path.of(environment.getProperty("hub.data-dir", "./data")).toAbsolutePath().normalize();
    Map<String, Object> defaults = new HashMap<>();
    if (isBlank(environment.getProperty("spring.datasource.url"))) {
      defaults.put(
          "spring.datasource.url",
          "jdbc:h2:file:" + dataDir.resolve("db").resolve("hub") + H2_SETTINGS);
      defaults.put("spring.datasource.username", "sa");
      defaults.put("spring.datasource.password", "");
    }
    if (isBlank(environment.getProperty("spring.artemis.embedded.data-directory"))) {
      defaults.put("spring.artemis.embedded.data-directory", dataDir.resolve("broker").toString());
    }
    if (isEmbeddedBroker(environment) && isBlank(environment.getProperty("spring.artemis.user"))) {
      defaults.put("spring.artemis.user", INTERNAL_BROKER_USER);
      defaults.put("spring.artemis.password", randomPassword());
    }
    if (!defaults.isEmpty()) {
      // First, because a blank value (e.g. an unset ${HUB_TEST_DB_URL:}) must not win over it.
      environment
          .getPropertySources()
          .addFirst(new MapPropertySource("hubEmbeddedDefaults", defaults));
    }
  }

  /**
   * The hub connects in-vm to its own embedded broker: mode {@code embedded} (or unset) with the
   * embedded server on. In mode native the user is the external broker's and is never invented.
   */
  private static boolean isEmbeddedBroker(ConfigurableEnvironment environment) {
    String mode = environment.getProperty("spring.artemis.mode");
    return (isBlank(mode) || "embedded".equalsIgnoreCase(mode.trim()))
        && !"false".equalsIgnoreCase(environment.getProperty("spring.artemis.embedded.enabled"));
  }

  private static String randomPassword() {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
