package cn.gov.honghu.hub.config;

import java.nio.file.Path;
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
 *       persistent journal in {@code <data-dir>/broker}.
 * </ul>
 */
class EmbeddedDefaults implements EnvironmentPostProcessor, Ordered {

  static final String H2_SETTINGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

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
    if (!defaults.isEmpty()) {
      // First, because a blank value (e.g. an unset ${HUB_TEST_DB_URL:}) must not win over it.
      environment
          .getPropertySources()
          .addFirst(new MapPropertySource("hubEmbeddedDefaults", defaults));
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
