package cn.gov.honghu.hub.validation;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.config.HubProperties;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires validation: the schema catalog, the envelope check and the payload validation. */
@Configuration(proxyBeanMethods = false)
class ValidationConfiguration {

  @Bean
  SchemaCatalog schemaCatalog() {
    return new SchemaCatalog();
  }

  /** Bean validation on the hub's clock, so "at most 5 minutes ahead" follows injected time. */
  @Bean
  Validator messageValidator(Clock clock) {
    return Validation.byDefaultProvider()
        .configure()
        .clockProvider(() -> clock)
        .buildValidatorFactory()
        .getValidator();
  }

  @Bean
  EnvelopeCheck envelopeCheck(SchemaCatalog schemas) {
    return new EnvelopeCheck(schemas);
  }

  @Bean
  PayloadValidation payloadValidation(
      SchemaCatalog schemas,
      Validator messageValidator,
      AgencyRegistry agencies,
      HubProperties hub) {
    return new PayloadValidation(
        schemas,
        messageValidator,
        agencies,
        hub.waterAreas().stream()
            .map(HubProperties.WaterAreaConfig::code)
            .collect(Collectors.toSet()));
  }
}
