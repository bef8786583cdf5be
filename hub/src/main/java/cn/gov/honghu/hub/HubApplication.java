package cn.gov.honghu.hub;

import cn.gov.honghu.hub.security.JsonReadLimits;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The hub: one Spring Boot application whose packages follow the path a message takes. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HubApplication {

  static {
    // Before any JSON mapper is built: the parser limits every endpoint reads with.
    JsonReadLimits.applyAsDefaults();
  }

  public static void main(String[] args) {
    SpringApplication.run(HubApplication.class, args);
  }
}
