package cn.gov.honghu.hub.config;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded default database: when no {@code spring.datasource.url} is configured, an H2 file
 * database under {@code hub.data-dir}, with the path made absolute (H2 refuses implicitly relative
 * paths) and {@code WRITE_DELAY=0}, so a committed transaction reaches the file before the 202 is
 * answered (H2's default 500 ms delay could lose accepted messages on kill -9).
 */
class EmbeddedDatabaseDefaults implements EnvironmentPostProcessor, Ordered {

  static final String H2_SETTINGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication app) {
    String url = environment.getProperty("spring.datasource.url");
    if (url != null && !url.isBlank()) {
      return;
    }
    Path dataDir =
        Path.of(environment.getProperty("hub.data-dir", "./data")).toAbsolutePath().normalize();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "hubEmbeddedDatabase",
                Map.of(
                    "spring.datasource.url",
                    "jdbc:h2:file:" + dataDir.resolve("db").resolve("hub") + H2_SETTINGS,
                    "spring.datasource.username",
                    "sa",
                    "spring.datasource.password",
                    "")));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
