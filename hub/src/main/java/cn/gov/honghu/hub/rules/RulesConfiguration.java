package cn.gov.honghu.hub.rules;

import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.deadlines.DeadlineRules;
import cn.gov.honghu.hub.legal.LawRegistry;
import cn.gov.honghu.hub.routing.RoutingRules;
import cn.gov.honghu.hub.thresholds.ThresholdRules;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Wires the rules file in force and hands each feature its section (routing, thresholds, laws,
 * deadlines), so that the features' own wiring never reads the file.
 */
@Configuration(proxyBeanMethods = false)
class RulesConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RulesConfiguration.class);

  /**
   * The rules file in force ({@code hub.rules-file}); a bad file stops the hub, naming the entry.
   */
  @Bean
  RulesFile rulesFile(HubProperties hub, ResourceLoader resources) throws IOException {
    Resource file = resources.getResource(hub.rulesFile());
    if (!file.exists()) {
      throw new IllegalStateException("hub.rules-file: no file at " + hub.rulesFile());
    }
    RulesFile rules = RulesFile.load(file.getInputStream(), hub.rulesFile());
    log.info("Rules file {} version {} in force", hub.rulesFile(), rules.version());
    return rules;
  }

  /** RULES_LOADED in the audit chain at every start: the version and hash of the rules in force. */
  @Bean
  ApplicationListener<ApplicationStartedEvent> rulesLoadedEntry(AuditTrail audit, RulesFile rules) {
    return event ->
        audit.record(
            new AuditTrail.Entry(
                AuditTrail.Kind.RULES_LOADED,
                AuditTrail.HUB,
                null,
                null,
                null,
                "version="
                    + rules.version()
                    + " sha256="
                    + rules.sha256()
                    + " source="
                    + rules.source()));
  }

  @Bean
  RoutingRules routingRules(RulesFile rules) {
    return rules.routing();
  }

  @Bean
  ThresholdRules thresholdRules(RulesFile rules) {
    return rules.thresholds();
  }

  @Bean
  LawRegistry lawRegistry(RulesFile rules) {
    return rules.laws();
  }

  @Bean
  DeadlineRules deadlineRules(RulesFile rules) {
    return rules.deadlines();
  }
}
