package cn.gov.honghu.hub.audit;

import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.CryptoProfile;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the audit chain, its signed heads and its verification (HUB-SPEC section 11). */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

  @Bean
  ChainHash chainHash(HubProperties hub) {
    return new ChainHash(hub.crypto().profile() == CryptoProfile.SM);
  }

  @Bean
  AuditTrail auditTrail(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      ChainHash chainHash,
      Clock clock) {
    return new AuditTrail(jdbc, new TransactionTemplate(transactions), chainHash, clock);
  }
}
