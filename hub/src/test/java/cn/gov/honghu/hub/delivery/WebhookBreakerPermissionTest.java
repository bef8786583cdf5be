package cn.gov.honghu.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.connectors.webhook.WebhookClient;
import cn.gov.honghu.hub.audit.AuditTrails;
import cn.gov.honghu.hub.crypto.Ciphers;
import cn.gov.honghu.hub.delivery.WebhookDispatcher.BreakerSettings;
import cn.gov.honghu.hub.delivery.WebhookDispatcher.Target;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.support.WebhookReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook breaker gives back the permission of a turn whose claim failed in the database (issue
 * 14): with the breaker HALF_OPEN, the one permitted probe is taken by {@code tryAcquirePermission}
 * before the claim; if the claim's query fails and the permission is not released, the breaker
 * waits forever for the outcome of a probe that was never sent, and the agency's webhooks stop for
 * good. A real dispatcher over an embedded H2 database (the hub's migrations), whose claim query is
 * made to fail once on demand, and a real HTTP receiver.
 */
class WebhookBreakerPermissionTest {

  private static final String AGENCY = "water";
  private static final Duration OPEN_FOR = Duration.ofMillis(500);

  private final AtomicBoolean failNextClaim = new AtomicBoolean();
  private final AtomicInteger failedClaims = new AtomicInteger();
  private WebhookReceiver receiver;
  private WebhookDispatcher dispatcher;
  private JdbcTemplate jdbc;

  @BeforeEach
  void start() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(
        "jdbc:h2:mem:breaker-"
            + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
    DataSource store = new FailingClaims(h2);
    jdbc = new JdbcTemplate(store);
    receiver = new WebhookReceiver();
    Clock clock = Clock.systemUTC();
    dispatcher =
        new WebhookDispatcher(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(store)),
            new WebhookClient(Duration.ofSeconds(2), clock),
            List.of(
                new Target(
                    AGENCY,
                    URI.create(receiver.baseUrl() + "/" + AGENCY),
                    (AGENCY + "-webhook-secret").getBytes(StandardCharsets.UTF_8),
                    20,
                    Duration.ofMillis(10),
                    Duration.ofMillis(20),
                    Duration.ofSeconds(2))),
            // One failure opens the breaker; it lets one probe through after OPEN_FOR.
            new BreakerSettings(1, OPEN_FOR),
            new EventLog(jdbc, clock, AuditTrails.direct(jdbc, clock)),
            Ciphers.forTests(),
            JsonMapper.builder().build(),
            new SimpleMeterRegistry(),
            clock);
  }

  @AfterEach
  void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void shouldResumeDeliveriesAfterAClaimFailedWhileTheBreakerWasHalfOpen() throws Exception {
    // given: the agency is down, and its first attempt opens the breaker
    receiver.answer(AGENCY, d -> 503);
    String deliveryId = queueDelivery();
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatched("OPEN".equals(breaker())));
    // the attempt is recorded just after the breaker saw it
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts(deliveryId) == 1);

    // when: the next claim fails in the database; while the breaker is open nothing claims, so it
    // is the half-open probe's claim, once the open period is over
    failNextClaim.set(true);
    // (no turn is started once the failure is seen: it would send the probe this test looks for)
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> failedClaims.get() == 1 || dispatched(false));
    assertThat(breaker()).isEqualTo("HALF_OPEN");
    assertThat(attempts(deliveryId)).as("no probe was sent").isEqualTo(1);

    // then: once the agency is back, the next turns probe, close the breaker and deliver
    receiver.answer(AGENCY, d -> 200);
    await("deliveries resume: the failed claim gave back the half-open permission")
        .atMost(Duration.ofSeconds(10))
        .until(() -> dispatched("DELIVERED".equals(state(deliveryId))));
    assertThat(breaker()).isEqualTo("CLOSED");
    assertThat(receiver.deliveredCount(deliveryId)).isEqualTo(1);
  }

  /** Starts a turn (if the worker is idle), then reports the condition. */
  private boolean dispatched(boolean condition) {
    dispatcher.dispatch();
    return condition;
  }

  private String breaker() {
    return dispatcher.breakerState(AGENCY);
  }

  private String queueDelivery() {
    String messageId = UUID.randomUUID().toString();
    String deliveryId = UUID.randomUUID().toString();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.update(
        "INSERT INTO hub_message (message_id, type, sender, case_key, case_number,"
            + " business_key_sha256, receipt_id, receipt, envelope, accepted_at)"
            + " VALUES (?, 'PROCURATORIAL_SUGGESTION', 'procuratorate', 'case-1', 'case-1', ?,"
            + " ?, '{}', '{}', ?)",
        messageId,
        "0".repeat(64),
        UUID.randomUUID().toString(),
        now);
    jdbc.update(
        "INSERT INTO delivery (delivery_id, message_id, recipient, case_key, sequence, priority,"
            + " state, created_at, next_attempt_at)"
            + " VALUES (?, ?, ?, 'case-1', 1, 0, 'QUEUED', ?, ?)",
        deliveryId,
        messageId,
        AGENCY,
        now,
        now);
    return deliveryId;
  }

  private String state(String deliveryId) {
    return jdbc.queryForObject(
        "SELECT state FROM delivery WHERE delivery_id = ?", String.class, deliveryId);
  }

  private int attempts(String deliveryId) {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM delivery_attempt WHERE delivery_id = ?", Integer.class, deliveryId);
  }

  /** The store, whose next claim query fails (as a lost connection would) when asked to. */
  private final class FailingClaims extends DelegatingDataSource {

    FailingClaims(DataSource target) {
      super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection connection = super.getConnection();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if ("prepareStatement".equals(method.getName())
                    && args[0] instanceof String sql
                    && sql.contains("FOR UPDATE SKIP LOCKED")
                    && sql.contains("d.recipient = ?")
                    && failNextClaim.compareAndSet(true, false)) {
                  failedClaims.incrementAndGet();
                  throw new SQLTransientConnectionException("connection lost (test)", "08006");
                }
                try {
                  return method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }
}
