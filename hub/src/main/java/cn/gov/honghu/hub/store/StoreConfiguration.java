package cn.gov.honghu.hub.store;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.alerts.AlertIndex;
import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.cases.TransferOmissions;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires the durable record: the event log and the message store of the accepting transaction. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

  @Bean
  EventLog eventLog(JdbcTemplate jdbc, Clock clock, AuditTrail audit) {
    return new EventLog(jdbc, clock, audit);
  }

  @Bean
  MessageStore messageStore(
      JdbcTemplate jdbc,
      CaseIndex cases,
      AlertIndex alerts,
      AgencyRegistry agencies,
      EventLog events,
      TransferOmissions omissions,
      EnvelopeCipher cipher,
      JsonMapper json,
      Clock clock,
      HubProperties hub) {
    return new MessageStore(
        jdbc, cases, alerts, agencies, events, omissions, cipher, json, clock, hub.zone());
  }
}
