package cn.gov.honghu.hub.routing;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.alerts.AlertIndex;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.thresholds.ThresholdRules;
import java.time.Clock;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires routing by the rules file's routing section, and the sender authorisation. */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

  @Bean
  Router router(
      RoutingRules routing,
      ThresholdRules thresholds,
      AgencyRegistry agencies,
      CaseIndex cases,
      AlertIndex alerts,
      DeadlineBook deadlines,
      Clock clock,
      HubProperties hub) {
    return new Router(
        routing,
        agencies,
        cases,
        alerts,
        deadlines,
        thresholds.clauses().stream().map(ThresholdRules.Rule::id).collect(Collectors.toSet()),
        clock,
        hub.zone());
  }

  @Bean
  SenderAuthorization senderAuthorization(Router router, CaseIndex cases) {
    return new SenderAuthorization(router, cases);
  }
}
