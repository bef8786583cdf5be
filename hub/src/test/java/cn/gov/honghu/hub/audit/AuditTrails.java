package cn.gov.honghu.hub.audit;

import java.time.Clock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The audit chain for tests that wire the hub's parts by hand on a migrated database. */
public final class AuditTrails {

  private AuditTrails() {}

  public static AuditTrail direct(JdbcTemplate jdbc, Clock clock) {
    return new AuditTrail(
        jdbc,
        new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())),
        new ChainHash(false),
        clock);
  }
}
