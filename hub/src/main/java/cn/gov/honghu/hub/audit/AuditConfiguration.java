package cn.gov.honghu.hub.audit;

import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.CryptoProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the audit chain, its signed heads and its verification (HUB-SPEC section 11). */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

  static final String HEAD_FILE = "audit-heads.log";

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

  /** Signs the head once more when the hub stops, so the file ends with the last append. */
  @Bean(destroyMethod = "close")
  SignedHeads signedHeads(HubProperties hub, JdbcTemplate jdbc, Clock clock) throws IOException {
    String headFile = hub.audit().headFile();
    Path file =
        headFile == null || headFile.isBlank()
            ? hub.dataDir().resolve(HEAD_FILE)
            : Path.of(headFile.trim());
    return new SignedHeads(
        SignedHeads.signingKey(hub.audit().signingKey(), hub.dataDir()), file, jdbc, clock);
  }

  @Bean
  AuditQueries auditQueries(JdbcTemplate jdbc) {
    return new AuditQueries(jdbc);
  }

  @Bean
  ChainVerifier chainVerifier(JdbcTemplate jdbc, ChainHash chainHash, SignedHeads heads) {
    return new ChainVerifier(jdbc, chainHash, heads);
  }

  @Bean
  AuditRoutes auditRoutes(SignedHeads heads, HubProperties hub) {
    return new AuditRoutes(heads, hub.audit().signInterval().toMillis());
  }
}
