package cn.gov.honghu.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.config.HubProperties.AgencyKind;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The delivery gauges over the real schema (H2, the Flyway migrations) on a clock the test moves:
 * what they show, and that a scrape storm within the cache period reads the database once.
 */
class DeliveryMetricsTest {

  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Instant T0 = Instant.parse("2026-05-06T08:00:00Z");
  private static final List<Agency> AGENCIES =
      List.of(
          agency("police"),
          agency("court"),
          new Agency("water", "water", AgencyKind.ADMINISTRATIVE, DeliveryMode.WEBHOOK, Set.of()));
  private static final Duration STALLED_AFTER = Duration.ofHours(2);

  private final MutableClock clock = new MutableClock(T0);
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger connections = new AtomicInteger();

  /** The test's own access to the database; the metrics' connections are counted. */
  private JdbcTemplate jdbc;

  private DeliveryMetrics metrics;

  @BeforeEach
  void database() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(
        "jdbc:h2:mem:delivery-metrics-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
    DataSource counting =
        new DelegatingDataSource(h2) {
          @Override
          public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            return super.getConnection();
          }
        };
    jdbc = new JdbcTemplate(h2);
    metrics =
        new DeliveryMetrics(
            new JdbcTemplate(counting),
            new DeliveryBacklog(new JdbcTemplate(counting), AGENCIES, STALLED_AFTER, clock),
            registry,
            AGENCIES,
            clock,
            TTL);
  }

  @Test
  void shouldShowPendingDeliveriesAndTheAgeOfTheOldestWhenSomeAreUnacknowledged() {
    // given: police has one queued (10 min old), one handed out (2 min old), one acknowledged
    delivery("police", "QUEUED", T0.minus(Duration.ofMinutes(10)));
    delivery("police", "DELIVERED", T0.minus(Duration.ofMinutes(2)));
    delivery("police", "ACKNOWLEDGED", T0.minus(Duration.ofHours(5)));
    // when
    clock.advance(Duration.ofMillis(500));
    // then
    assertThat(gauge("hub.delivery.pending", "police")).isEqualTo(2);
    assertThat(gauge("hub.delivery.oldest.unacknowledged.age", "police")).isEqualTo(600.5);
  }

  @Test
  void shouldCountOnlyQueuedDeliveriesAsPendingForAWebhookAgencyAndShowItsFailedOnes() {
    // given: water (webhook) has one pushed, one queued for a retry, two failed
    delivery("water", "DELIVERED", T0.minus(Duration.ofMinutes(30)));
    delivery("water", "QUEUED", T0.minus(Duration.ofMinutes(3)));
    delivery("water", "FAILED", T0.minus(Duration.ofHours(1)));
    delivery("water", "FAILED", T0.minus(Duration.ofHours(1)));
    // then: a pushed delivery is done, it waits for no acknowledgement
    assertThat(gauge("hub.delivery.pending", "water")).isEqualTo(1);
    assertThat(gauge("hub.delivery.oldest.unacknowledged.age", "water")).isEqualTo(180);
    assertThat(gauge("hub.delivery.failed", "water")).isEqualTo(2);
  }

  @Test
  void shouldFlagARecipientStalledOnlyOnceItsOldestPendingDeliveryPassesTheLimit() {
    // given: police's oldest unacknowledged delivery is exactly two hours old
    delivery("police", "DELIVERED", T0.minus(STALLED_AFTER));
    // then: at the limit it is not stalled yet, a second later it is
    assertThat(gauge("hub.delivery.stalled", "police")).isZero();
    clock.advance(Duration.ofSeconds(1));
    metrics.invalidate();
    assertThat(gauge("hub.delivery.stalled", "police")).isEqualTo(1);
    assertThat(gauge("hub.delivery.stalled", "court")).isZero();
  }

  @Test
  void shouldCountOnlyWaitingDeliveriesWhenThousandsHaveFinished() {
    // given: a history of finished deliveries (acknowledged by police, pushed to water, older
    // than anything waiting) behind a few waiting ones (issue 15: the backlog reads the waiting
    // states by index, never the history)
    for (int i = 0; i < 1_000; i++) {
      delivery("police", "ACKNOWLEDGED", T0.minus(Duration.ofDays(30)));
      delivery("water", "DELIVERED", T0.minus(Duration.ofDays(30)));
    }
    delivery("police", "DELIVERED", T0.minus(Duration.ofMinutes(4)));
    delivery("police", "QUEUED", T0.minus(Duration.ofMinutes(1)));
    delivery("water", "QUEUED", T0.minus(Duration.ofMinutes(2)));
    delivery("water", "FAILED", T0.minus(Duration.ofDays(1)));

    // then
    assertThat(gauge("hub.delivery.pending", "police")).isEqualTo(2);
    assertThat(gauge("hub.delivery.oldest.unacknowledged.age", "police")).isEqualTo(240);
    assertThat(gauge("hub.delivery.pending", "water")).isEqualTo(1);
    assertThat(gauge("hub.delivery.oldest.unacknowledged.age", "water")).isEqualTo(120);
    assertThat(gauge("hub.delivery.failed", "water")).isEqualTo(1);
  }

  @Test
  void shouldShowZeroWhenAnAgencyHasNothingUnacknowledged() {
    // given
    delivery("court", "ACKNOWLEDGED", T0.minus(Duration.ofHours(1)));
    // then
    assertThat(gauge("hub.delivery.pending", "court")).isZero();
    assertThat(gauge("hub.delivery.oldest.unacknowledged.age", "court")).isZero();
  }

  @Test
  void shouldShowOutboxSizeAndLagWhenRowsWaitForTheRelay() {
    // given
    outbox(T0.minus(Duration.ofSeconds(30)));
    outbox(T0.minus(Duration.ofSeconds(3)));
    // then
    assertThat(registry.get("hub.outbox.size").gauge().value()).isEqualTo(2);
    assertThat(registry.get("hub.outbox.lag").gauge().value()).isEqualTo(30);
  }

  @Test
  void shouldShowZeroLagWhenTheOutboxIsEmpty() {
    assertThat(registry.get("hub.outbox.size").gauge().value()).isZero();
    assertThat(registry.get("hub.outbox.lag").gauge().value()).isZero();
  }

  @Test
  void shouldReadTheDatabaseOnceWhenScrapedRepeatedlyWithinTheCachePeriod() {
    // given: a first scrape
    scrapeAll();
    int afterFirst = connections.get();
    delivery("police", "QUEUED", T0);
    // when: a storm of scrapes within the period
    for (int i = 0; i < 50; i++) {
      clock.advance(TTL.dividedBy(100));
      scrapeAll();
    }
    // then: no query, and the snapshot of the first scrape is what they saw
    assertThat(connections.get()).isEqualTo(afterFirst);
    assertThat(gauge("hub.delivery.pending", "police")).isZero();
  }

  @Test
  void shouldShowNewDeliveriesWhenTheCachePeriodHasPassed() {
    // given
    scrapeAll();
    delivery("police", "QUEUED", T0);
    // when
    clock.advance(TTL);
    // then
    assertThat(gauge("hub.delivery.pending", "police")).isEqualTo(1);
  }

  @Test
  void shouldLetTheAgeGrowWithTheClockWhenServedFromTheCache() {
    // given
    delivery("police", "QUEUED", T0);
    scrapeAll();
    // when
    clock.advance(Duration.ofSeconds(4));
    // then
    assertThat(gauge("hub.delivery.oldest.unacknowledged.age", "police")).isEqualTo(4);
  }

  @Test
  void shouldShowNaNAndWaitForTheNextPeriodWhenTheDatabaseIsUnreachable() {
    // given: a database that refuses connections
    AtomicInteger attempts = new AtomicInteger();
    DataSource down =
        new DelegatingDataSource(new JdbcDataSource()) {
          @Override
          public Connection getConnection() throws SQLException {
            attempts.incrementAndGet();
            throw new SQLException("connection refused");
          }
        };
    MeterRegistry own = new SimpleMeterRegistry();
    new DeliveryMetrics(
        new JdbcTemplate(down),
        new DeliveryBacklog(new JdbcTemplate(down), AGENCIES, STALLED_AFTER, clock),
        own,
        AGENCIES,
        clock,
        TTL);
    // when: a whole scrape (every gauge of every agency)
    own.getMeters().forEach(m -> m.measure().forEach(Measurement::getValue));
    // then
    assertThat(own.get("hub.delivery.pending").tag("agency", "police").gauge().value()).isNaN();
    assertThat(own.get("hub.outbox.lag").gauge().value()).isNaN();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void shouldCountPulledAndFirstAcknowledgedDeliveriesWhenRecorded() {
    // when
    metrics.pulled("police", 3);
    metrics.pulled("police", 0);
    metrics.acknowledged("police", 2);
    // then
    assertThat(registry.get("hub.delivery.pulled").tag("agency", "police").counter().count())
        .isEqualTo(3);
    assertThat(registry.get("hub.delivery.acknowledged").tag("agency", "police").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("hub.delivery.pulled").tag("agency", "court").counter().count())
        .isZero();
  }

  private double gauge(String name, String agency) {
    return registry.get(name).tag("agency", agency).gauge().value();
  }

  private void scrapeAll() {
    registry.getMeters().forEach(m -> m.measure().forEach(Measurement::getValue));
  }

  private void delivery(String recipient, String state, Instant createdAt) {
    String messageId = UUID.randomUUID().toString();
    jdbc.update(
        "INSERT INTO hub_message (message_id, type, sender, business_key_sha256, receipt_id,"
            + " receipt, envelope, accepted_at) VALUES (?, 'CASE_TRANSFER', 'agriculture', ?, ?,"
            + " '{}', '{}', ?)",
        messageId,
        UUID.randomUUID().toString().replace("-", "") + "00000000000000000000000000000000",
        UUID.randomUUID().toString(),
        Timestamp.from(createdAt));
    jdbc.update(
        "INSERT INTO delivery (delivery_id, message_id, recipient, priority, state, created_at)"
            + " VALUES (?, ?, ?, 0, ?, ?)",
        UUID.randomUUID().toString(),
        messageId,
        recipient,
        state,
        Timestamp.from(createdAt));
  }

  private void outbox(Instant createdAt) {
    jdbc.update(
        "INSERT INTO outbox (delivery_id, priority, created_at) VALUES (?, 0, ?)",
        UUID.randomUUID().toString(),
        Timestamp.from(createdAt));
  }

  private static Agency agency(String code) {
    return new Agency(code, code, AgencyKind.JUDICIAL, DeliveryMode.PULL, Set.of());
  }
}
