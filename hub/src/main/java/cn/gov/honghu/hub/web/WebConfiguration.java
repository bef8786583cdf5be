package cn.gov.honghu.hub.web;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the HTTP concerns the controllers share: the callers resolved from their bearer keys. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

  @Bean
  Callers callers(AgencyRegistry registry) {
    return new Callers(registry);
  }
}
