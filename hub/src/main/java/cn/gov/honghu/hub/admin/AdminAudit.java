package cn.gov.honghu.hub.admin;

import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.JdbcTemplate;

/** Records who did what to which deliveries, and why (HUB-SPEC section 9). */
public final class AdminAudit {

  private final JdbcTemplate jdbc;
  private final Clock clock;

  public AdminAudit(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public void record(String admin, String action, String target, String reason, int affected) {
    jdbc.update(
        "INSERT INTO admin_action (at, admin, action, target, reason, affected)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        Timestamp.from(clock.instant()),
        admin,
        action,
        target.length() <= 1000 ? target : target.substring(0, 1000),
        reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000),
        affected);
  }
}
