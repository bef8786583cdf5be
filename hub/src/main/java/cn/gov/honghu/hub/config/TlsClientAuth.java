package cn.gov.honghu.hub.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps {@code hub.tls.client-auth} ({@code none}, {@code want}, {@code need}) onto Spring Boot's
 * {@code server.ssl.client-auth}, so that the hub's documented key is the one an operator sets and
 * Tomcat asks for client certificates accordingly. An explicit {@code server.ssl.client-auth} is
 * left as it is.
 */
class TlsClientAuth implements EnvironmentPostProcessor, Ordered {

  static final String HUB_KEY = "hub.tls.client-auth";
  static final String SERVER_KEY = "server.ssl.client-auth";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication app) {
    String clientAuth = environment.getProperty(HUB_KEY);
    if (clientAuth == null || clientAuth.isBlank() || environment.getProperty(SERVER_KEY) != null) {
      return;
    }
    // Last: any explicit server.ssl.client-auth wins; an unknown value fails binding of hub.tls.
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                "hubTlsClientAuth", Map.of(SERVER_KEY, clientAuth.strip().toLowerCase())));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
