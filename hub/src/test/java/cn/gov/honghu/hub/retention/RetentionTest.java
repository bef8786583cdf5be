package cn.gov.honghu.hub.retention;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.metrics.RetentionMetrics;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.Messages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The retention job over the hub's real database (the shared test context; PostgreSQL in CI). The
 * rows a test wants old are written or moved into the past; the job runs on the real clock, so only
 * those rows are old enough for it, whatever else the suite has stored. Each test builds its own
 * job over the context's beans, with a batch of 3 so that every pass takes several transactions,
 * and with {@code water} as its webhook agency (in the test deployment every agency pulls).
 */
@ApplicationTest
@ExtendWith(OutputCaptureExtension.class)
class RetentionTest {

  private static final Duration FINISHED = Duration.ofDays(90);
  private static final Period PERSONAL = Period.ofYears(10);
  private static final int BATCH = 3;
  private static final String PUSH = "water";

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;
  @Autowired EventLog events;
  @Autowired JsonMapper json;
  @Autowired EnvelopeCipher cipher;
  @Autowired Clock clock;

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger transactionsRun = new AtomicInteger();
  private Instant now;

  @BeforeEach
  void given() {
    now = clock.instant();
    // no lease left over from a test that failed half-way
    jdbc.update("UPDATE duty_lock SET holder = NULL, lease_until = NULL WHERE duty = 'retention'");
  }

  private RetentionJob job(String holder) {
    TransactionTemplate counting =
        new TransactionTemplate(transactions) {
          @Override
          public <T> T execute(TransactionCallback<T> action) throws TransactionException {
            transactionsRun.incrementAndGet();
            return super.execute(action);
          }
        };
    return new RetentionJob(
        jdbc,
        counting,
        new DutyLock(jdbc, "retention", holder, Duration.ofMinutes(10), clock),
        events,
        new RetentionMetrics(registry),
        cipher,
        json,
        clock,
        new RetentionJob.Settings(
            FINISHED, PERSONAL, Optional.empty(), BATCH, ZoneId.of("Asia/Shanghai")),
        Set.of(PUSH));
  }

  private RetentionJob job() {
    return job("test-" + UUID.randomUUID());
  }

  @Test
  void shouldPurgeExactlyTheFinishedDeliveriesOlderThanTheRetentionWithTheirAttempts() {
    // given: finished long ago
    String message = message(null, ago(200));
    String acked = delivery(message, "police", "ACKNOWLEDGED", ago(200), ago(91), null);
    String pushed = delivery(message, PUSH, "DELIVERED", ago(200), ago(91), null);
    String discarded = delivery(message, "court", "DISCARDED", ago(200), null, ago(91));
    attempts(acked, 2);
    attempts(pushed, 3);
    // and: waiting, however old
    String queued = delivery(message, "justice", "QUEUED", ago(400), null, null);
    String unacked = delivery(message, "environment", "DELIVERED", ago(400), ago(400), null);
    String failed = delivery(message, "market", "FAILED", ago(400), null, null);
    attempts(failed, 8);
    // and: finished within the retention (the discard counts, not the failure before it)
    String recentAck = delivery(message, "procuratorate", "ACKNOWLEDGED", ago(200), ago(89), null);
    String recentDiscard = delivery(message, "forestry", "DISCARDED", ago(200), null, ago(1));
    jdbc.update(
        "UPDATE delivery SET failed_at = ? WHERE delivery_id = ?", ts(ago(200)), recentDiscard);
    String other = message(null, ago(200));
    String recentPush = delivery(other, PUSH, "DELIVERED", ago(200), ago(89), null);

    // when
    RetentionJob.Counts counts = job().runNow("test").orElseThrow();

    // then
    assertThat(deliveriesOf(message, other))
        .containsExactlyInAnyOrder(queued, unacked, failed, recentAck, recentDiscard, recentPush);
    assertThat(counts.deliveries()).isEqualTo(3);
    assertThat(counts.attempts()).isEqualTo(5);
    assertThat(attemptsOf(acked) + attemptsOf(pushed) + attemptsOf(discarded)).isZero();
    assertThat(attemptsOf(failed)).isEqualTo(8);
  }

  @Test
  void shouldWorkInSmallTransactionsWhenThereAreMoreRowsThanTheBatchSize() {
    // given: ten finished deliveries with an event each, more than three batches of three
    List<String> old = new ArrayList<>();
    List<Long> oldEvents = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String message = message(null, ago(200));
      old.add(message);
      attempts(delivery(message, "police", "ACKNOWLEDGED", ago(200), ago(100), null), 1);
      oldEvents.add(event("ACCEPTED", message, null, ago(200)));
    }
    // and: seven messages without a case, eleven years old, with a suspect each
    List<String> ancient = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ancient.add(message(null, now.minus(Duration.ofDays(11 * 366))));
    }

    // when
    RetentionJob.Counts counts = job().runNow("test").orElseThrow();

    // then: all gone or cleared, a batch at a time
    assertThat(deliveriesOf(old.toArray(String[]::new))).isEmpty();
    assertThat(counts.deliveries()).isEqualTo(10);
    assertThat(counts.attempts()).isEqualTo(10);
    assertThat(eventIds(oldEvents.toArray(Long[]::new))).isEmpty();
    assertThat(counts.events()).isGreaterThanOrEqualTo(10);
    for (String message : ancient) {
      String stored =
          jdbc.queryForObject(
              "SELECT envelope FROM hub_message WHERE message_id = ?", String.class, message);
      assertThat(EnvelopeCipher.isSealed(stored)).as("sealed again after the removal").isTrue();
      assertThat(cipher.open(message, stored))
          .contains("[removed]")
          .doesNotContain(Messages.SUSPECT_ID);
    }
    assertThat(counts.personalData()).isGreaterThanOrEqualTo(7);
    // deliveries 4 + 1 empty, events 4, personal data 3
    assertThat(transactionsRun.get()).isGreaterThanOrEqualTo(11);
  }

  @Test
  void shouldBoundEventsOfMessagesWithNothingLeftToDeliverWhenTheyAreOlderThanTheRetention() {
    // given: a message whose only delivery is finished and old, with its old events
    String done = message(null, ago(200));
    String doneDelivery = delivery(done, "police", "ACKNOWLEDGED", ago(200), ago(100), null);
    long doneAccepted = event("ACCEPTED", done, null, ago(200));
    long doneAcked = event("ACKNOWLEDGED", done, doneDelivery, ago(100));
    // and: a message still waiting for one recipient, with events as old
    String waiting = message(null, ago(200));
    delivery(waiting, "police", "ACKNOWLEDGED", ago(200), ago(100), null);
    delivery(waiting, "court", "DELIVERED", ago(200), ago(200), null);
    long waitingAccepted = event("ACCEPTED", waiting, null, ago(200));
    // and: an old refusal, an old omission remedied (the case timeline shows it), a recent event
    long refusal = event("REFUSED", UUID.randomUUID().toString(), null, ago(100));
    long remedied = event("OMISSION_REMEDIED", done, null, ago(100));
    long recent = event("DELIVERED", done, doneDelivery, ago(30));

    // when
    RetentionJob.Counts counts = job().runNow("test").orElseThrow();

    // then
    List<Long> left = eventIds(doneAccepted, doneAcked, waitingAccepted, refusal, remedied, recent);
    assertThat(left).containsExactlyInAnyOrder(waitingAccepted, remedied, recent);
    assertThat(counts.events()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void shouldRemovePartyFieldsOnlyFromCasesWhoseLastMessageIsOlderThanTheRetention() {
    // given: two cases posted through the API, both moved eleven years into the past
    HubClient hub = new HubClient(port);
    String endedCase = postTransfer(hub);
    String liveCase = postTransfer(hub);
    jdbc.update(
        "UPDATE hub_message SET accepted_at = ? WHERE case_key IN (?, ?)",
        ts(now.minus(Duration.ofDays(11 * 366))),
        endedCase,
        liveCase);
    // and: the live case had a message last month
    message(liveCase, ago(30));
    int partyHistory = count("SELECT COUNT(*) FROM party_penalty");

    // when
    RetentionJob.Counts counts = job().runNow("test").orElseThrow();

    // then: every party field of the ended case is "[removed]", the role stays
    for (JsonNode envelope : envelopes(endedCase)) {
      JsonNode party = envelope.get("payload").get("parties").get(0);
      assertThat(party.get("name").asString()).isEqualTo("[removed]");
      assertThat(party.get("idNumber").asString()).isEqualTo("[removed]");
      assertThat(party.get("phone").asString()).isEqualTo("[removed]");
      assertThat(party.get("role").asString()).isEqualTo("SUSPECT");
      assertThat(envelope.toString()).doesNotContain(Messages.SUSPECT_ID, Messages.SUSPECT_NAME);
    }
    // and: the live case keeps them, and so does the keyed party history
    JsonNode live = envelopes(liveCase).get(0);
    assertThat(live.get("payload").get("parties").get(0).get("idNumber").asString())
        .isEqualTo(Messages.SUSPECT_ID);
    assertThat(counts.personalData()).isGreaterThanOrEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM party_penalty")).isEqualTo(partyHistory);
  }

  @Test
  void shouldDeleteEachRowOnceAndFailNeitherWhenTwoInstancesRunAtTheSameTime() throws Exception {
    // given
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String message = message(null, ago(200));
      old.add(message);
      attempts(delivery(message, "police", "ACKNOWLEDGED", ago(200), ago(100), null), 2);
    }
    List<RetentionJob> instances = List.of(job("instance-a"), job("instance-b"));
    CyclicBarrier start = new CyclicBarrier(instances.size());
    ExecutorService pool = Executors.newFixedThreadPool(instances.size());

    // when: both start together
    List<Future<Optional<RetentionJob.Counts>>> runs = new ArrayList<>();
    for (RetentionJob instance : instances) {
      runs.add(
          pool.submit(
              () -> {
                start.await();
                return instance.runNow("test");
              }));
    }
    long deliveries = 0;
    long attempts = 0;
    for (Future<Optional<RetentionJob.Counts>> run : runs) {
      Optional<RetentionJob.Counts> counts = run.get();
      deliveries += counts.map(RetentionJob.Counts::deliveries).orElse(0L);
      attempts += counts.map(RetentionJob.Counts::attempts).orElse(0L);
    }
    pool.shutdown();

    // then: every row deleted once between them
    assertThat(deliveriesOf(old.toArray(String[]::new))).isEmpty();
    assertThat(deliveries).isEqualTo(12);
    assertThat(attempts).isEqualTo(24);
  }

  @Test
  void shouldNotRunWhileAnotherInstanceHoldsTheLease() {
    // given: another instance is running
    String message = message(null, ago(200));
    String acked = delivery(message, "police", "ACKNOWLEDGED", ago(200), ago(100), null);
    DutyLock other = new DutyLock(jdbc, "retention", "other", Duration.ofMinutes(10), clock);
    assertThat(other.claim(Optional.empty())).isTrue();

    // when
    Optional<RetentionJob.Counts> counts = job().runNow("test");

    // then
    assertThat(counts).isEmpty();
    assertThat(deliveriesOf(message)).containsExactly(acked);

    // and when the other instance is done, the next run takes it
    other.release();
    assertThat(job().runNow("test").orElseThrow().deliveries()).isOne();
    assertThat(deliveriesOf(message)).isEmpty();
  }

  @Test
  void shouldStopAfterTheBatchInHandWhenAnotherInstanceTookTheLeaseOver() {
    // given: six finished deliveries, two batches
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String message = message(null, ago(200));
      old.add(message);
      delivery(message, "police", "ACKNOWLEDGED", ago(200), ago(100), null);
    }
    // and: an instance that paused so long that another took the lease over during its first batch
    TransactionTemplate stolenDuringFirstBatch =
        new TransactionTemplate(transactions) {
          @Override
          public <T> T execute(TransactionCallback<T> action) throws TransactionException {
            T result = super.execute(action);
            jdbc.update(
                "UPDATE duty_lock SET holder = 'other', lease_until = ? WHERE duty = 'retention'",
                ts(now.plus(Duration.ofMinutes(10))));
            return result;
          }
        };
    RetentionJob paused =
        new RetentionJob(
            jdbc,
            stolenDuringFirstBatch,
            new DutyLock(jdbc, "retention", "paused", Duration.ofMinutes(10), clock),
            events,
            new RetentionMetrics(registry),
            cipher,
            json,
            clock,
            new RetentionJob.Settings(
                FINISHED, PERSONAL, Optional.empty(), BATCH, ZoneId.of("Asia/Shanghai")),
            Set.of(PUSH));

    // when
    RetentionJob.Counts counts = paused.runNow("test").orElseThrow();

    // then: one batch, the rest left to the holder of the lease
    assertThat(counts.deliveries()).isEqualTo(BATCH);
    assertThat(deliveriesOf(old.toArray(String[]::new))).hasSize(6 - BATCH);
    jdbc.update("UPDATE duty_lock SET holder = NULL, lease_until = NULL WHERE duty = 'retention'");
    assertThat(job().runNow("test").orElseThrow().deliveries()).isEqualTo(6 - BATCH);
  }

  @Test
  void shouldRunOnceForEachScheduledTimeWhenSeveralInstancesCheckTheSchedule() {
    // given: the schedule fired since the last run, which was two days ago
    jdbc.update("UPDATE duty_lock SET last_started_at = ? WHERE duty = 'retention'", ts(ago(2)));
    RetentionJob.Settings nightly =
        new RetentionJob.Settings(
            FINISHED,
            PERSONAL,
            Optional.of(
                org.springframework.scheduling.support.CronExpression.parse("0 30 2 * * *")),
            BATCH,
            ZoneId.of("Asia/Shanghai"));
    List<RetentionJob> instances = new ArrayList<>();
    for (String holder : List.of("instance-a", "instance-b")) {
      instances.add(
          new RetentionJob(
              jdbc,
              new TransactionTemplate(transactions),
              new DutyLock(jdbc, "retention", holder, Duration.ofMinutes(10), clock),
              events,
              new RetentionMetrics(registry),
              cipher,
              json,
              clock,
              nightly,
              Set.of(PUSH)));
    }

    // when: both look, one after the other, and then again
    int runs = 0;
    for (int round = 0; round < 2; round++) {
      for (RetentionJob instance : instances) {
        runs += instance.runIfDue().isPresent() ? 1 : 0;
      }
    }

    // then: the missed night is run once
    assertThat(runs).isOne();
  }

  @Test
  void shouldReportItsCountsInOneLogLineTheMetricsAndARetentionRunEvent(CapturedOutput output) {
    // given
    HubClient hub = new HubClient(port);
    String endedCase = postTransfer(hub);
    jdbc.update(
        "UPDATE hub_message SET accepted_at = ? WHERE case_key = ?",
        ts(now.minus(Duration.ofDays(11 * 366))),
        endedCase);
    String message = message(null, ago(200));
    attempts(delivery(message, "police", "ACKNOWLEDGED", ago(200), ago(100), null), 2);
    long before = count("SELECT COUNT(*) FROM hub_event WHERE kind = 'RETENTION_RUN'");

    // when
    RetentionJob.Counts counts = job().runNow("ops").orElseThrow();

    // then: the metrics
    assertThat(purged("deliveries")).isEqualTo(counts.deliveries()).isGreaterThanOrEqualTo(1);
    assertThat(purged("attempts")).isEqualTo(counts.attempts()).isGreaterThanOrEqualTo(2);
    assertThat(purged("events")).isEqualTo(counts.events());
    assertThat(purged("personal_data")).isEqualTo(counts.personalData()).isGreaterThanOrEqualTo(1);
    assertThat(registry.get("hub.retention.last.run.timestamp").gauge().value())
        .isGreaterThanOrEqualTo(now.getEpochSecond());
    // and: one log line with the counts and no personal data
    List<String> lines =
        output.getAll().lines().filter(l -> l.contains("retention run by ops")).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains("purged " + counts.deliveries() + " deliveries, " + counts.attempts())
        .doesNotContain(Messages.SUSPECT_NAME, Messages.SUSPECT_ID, Messages.SUSPECT_PHONE);
    // and: the run is recorded
    assertThat(count("SELECT COUNT(*) FROM hub_event WHERE kind = 'RETENTION_RUN'"))
        .isEqualTo(before + 1);
    JsonNode detail =
        json.readTree(
            jdbc.queryForObject(
                "SELECT detail FROM hub_event WHERE kind = 'RETENTION_RUN' AND agency = 'ops'"
                    + " ORDER BY id DESC LIMIT 1",
                String.class));
    assertThat(detail.get("deliveries").asLong()).isEqualTo(counts.deliveries());
    assertThat(detail.get("complete").asBoolean()).isTrue();
  }

  @Test
  void shouldRunRetentionAndAnswerItsCountsWhenAnAdminAsks() {
    // given
    String message = message(null, ago(200));
    delivery(message, "police", "ACKNOWLEDGED", ago(200), ago(100), null);
    HubClient hub = new HubClient(port);

    // when
    HubClient.Answer byAdmin =
        hub.postWithKey("ops-test-key", "/admin/v1/retention/run", null, new byte[0]);
    HubClient.Answer byAgency =
        hub.postWithKey(HubClient.key("police"), "/admin/v1/retention/run", null, new byte[0]);

    // then
    assertThat(byAdmin.status()).as(byAdmin.text()).isEqualTo(200);
    assertThat(byAdmin.get("deliveries").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(byAdmin.json().propertyNames())
        .containsExactly("deliveries", "attempts", "events", "personalData");
    assertThat(deliveriesOf(message)).isEmpty();
    assertThat(byAgency.status()).isEqualTo(403);
  }

  @Test
  void shouldAnswer409WhenAnAdminAsksWhileARunIsInProgress() {
    // given
    DutyLock other = new DutyLock(jdbc, "retention", "other", Duration.ofMinutes(10), clock);
    assertThat(other.claim(Optional.empty())).isTrue();

    // when
    HubClient.Answer answer =
        new HubClient(port)
            .postWithKey("ops-test-key", "/admin/v1/retention/run", null, new byte[0]);

    // then
    other.release();
    assertThat(answer.status()).as(answer.text()).isEqualTo(409);
    assertThat(answer.get("type").asString()).isEqualTo("urn:hub:problem:retention-running");
  }

  // ---------------------------------------------------------------- helpers

  private Instant ago(int days) {
    return now.minus(Duration.ofDays(days));
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  /** A message row of its own; returns its id. */
  private String message(String caseKey, Instant acceptedAt) {
    String id = UUID.randomUUID().toString();
    String envelope =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null)
            .put("messageId", id)
            .toString();
    jdbc.update(
        "INSERT INTO hub_message (message_id, type, sender, case_key, case_number,"
            + " business_key_sha256, receipt_id, receipt, envelope, accepted_at)"
            + " VALUES (?, 'CASE_TRANSFER', 'agriculture', ?, ?, ?, ?, '{}', ?, ?)",
        id,
        caseKey,
        caseKey == null ? null : "case",
        UUID.randomUUID().toString().replace("-", "")
            + UUID.randomUUID().toString().replace("-", ""),
        UUID.randomUUID().toString(),
        cipher.seal(id, envelope), // as the store writes it
        ts(acceptedAt));
    return id;
  }

  /** A delivery in {@code state}; {@code finishedAt} is its delivery, or its discard. */
  private String delivery(
      String message, String recipient, String state, Instant created, Instant at, Instant gone) {
    String id = UUID.randomUUID().toString();
    boolean acked = state.equals("ACKNOWLEDGED");
    jdbc.update(
        "INSERT INTO delivery (delivery_id, message_id, recipient, priority, state, created_at,"
            + " delivered_at, acked_at, failed_at, discarded_at)"
            + " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
        id,
        message,
        recipient,
        state,
        ts(created),
        ts(acked || state.equals("DELIVERED") ? at : null),
        ts(acked ? at : null),
        ts(state.equals("FAILED") || state.equals("DISCARDED") ? created : null),
        ts(gone));
    return id;
  }

  private void attempts(String deliveryId, int n) {
    for (int i = 1; i <= n; i++) {
      jdbc.update(
          "INSERT INTO delivery_attempt (delivery_id, attempt, at, outcome) VALUES (?, ?, ?, ?)",
          deliveryId,
          i,
          ts(now),
          "HTTP_503");
    }
  }

  private long event(String kind, String messageId, String deliveryId, Instant at) {
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    jdbc.update(
        connection -> {
          PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO hub_event (at, kind, agency, message_id, delivery_id)"
                      + " VALUES (?, ?, 'police', ?, ?)",
                  new String[] {"id"});
          insert.setTimestamp(1, ts(at));
          insert.setString(2, kind);
          insert.setString(3, messageId);
          insert.setString(4, deliveryId);
          return insert;
        },
        key);
    return key.getKey().longValue();
  }

  private List<String> deliveriesOf(String... messages) {
    List<String> ids = new ArrayList<>();
    for (String message : messages) {
      ids.addAll(
          jdbc.queryForList(
              "SELECT delivery_id FROM delivery WHERE message_id = ?", String.class, message));
    }
    return ids;
  }

  private int attemptsOf(String deliveryId) {
    return count("SELECT COUNT(*) FROM delivery_attempt WHERE delivery_id = ?", deliveryId);
  }

  private List<Long> eventIds(Long... ids) {
    List<Long> left = new ArrayList<>();
    for (long id : ids) {
      if (count("SELECT COUNT(*) FROM hub_event WHERE id = ?", id) == 1) {
        left.add(id);
      }
    }
    return left;
  }

  private int count(String sql, Object... args) {
    Integer count = jdbc.queryForObject(sql, Integer.class, args);
    return count == null ? 0 : count;
  }

  /** Posts a CASE_TRANSFER with a suspect's name, ID number and phone; returns its case key. */
  private String postTransfer(HubClient hub) {
    var message = Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", message).status()).isEqualTo(202);
    return jdbc.queryForObject(
        "SELECT case_key FROM hub_message WHERE message_id = ?",
        String.class,
        message.get("messageId").asString());
  }

  private List<JsonNode> envelopes(String caseKey) {
    return jdbc
        .query(
            "SELECT message_id, envelope FROM hub_message WHERE case_key = ? ORDER BY accept_seq",
            (rs, i) -> cipher.open(rs.getString(1), rs.getString(2)),
            caseKey)
        .stream()
        .map(json::readTree)
        .toList();
  }

  private double purged(String what) {
    return registry.get("hub.retention.purged").tag("what", what).counter().count();
  }
}
