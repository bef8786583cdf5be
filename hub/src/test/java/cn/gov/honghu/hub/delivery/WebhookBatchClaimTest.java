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
import cn.gov.honghu.hub.support.WebhookReceiver.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook claim takes a batch per transaction (issue 15) and keeps what the one-row claim kept:
 * each delivery pushed once although two hub instances claim from the same table at once, a case's
 * deliveries in {@code sequence} order while earlier ones are being retried, and rows a turn does
 * not send (the breaker opened) given back at once instead of waiting out their leases. Two real
 * dispatchers over one embedded H2 database with the hub's migrations, and a real HTTP receiver.
 */
class WebhookBatchClaimTest {

  private static final String AGENCY = "water";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final Clock clock = Clock.systemUTC();
  private final List<WebhookDispatcher> dispatchers = new ArrayList<>();
  private WebhookReceiver receiver;
  private DataSource h2;
  private JdbcTemplate jdbc;
  private DeliveryRows rows;

  @BeforeEach
  void start() throws Exception {
    h2 = DeliveryRows.migratedH2("batch-claim");
    jdbc = new JdbcTemplate(h2);
    rows = new DeliveryRows(jdbc);
    receiver = new WebhookReceiver();
  }

  @AfterEach
  void stop() {
    dispatchers.forEach(WebhookDispatcher::close);
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void shouldPushEachDeliveryOnceInCaseOrderWhenTwoInstancesClaimBatchesAtOnce() {
    // given: a history of pushed deliveries, then 8 cases of 15 deliveries each queued; the first
    // try of every third delivery is answered 503, so earlier deliveries are retried while later
    // ones of their case wait
    rows.history(AGENCY, "DELIVERED", 5_000, Instant.now().minus(Duration.ofDays(30)));
    List<String> queued = new ArrayList<>();
    for (int sequence = 1; sequence <= 15; sequence++) {
      for (int c = 1; c <= 8; c++) {
        queued.add(rows.delivery(AGENCY, "case-" + c, sequence, 0, "QUEUED", Instant.now()));
      }
    }
    Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    receiver.answer(
        AGENCY,
        d -> {
          String id = d.get("deliveryId").asString();
          return Math.floorMod(id.hashCode(), 3) == 0 && refusedOnce.add(id) ? 503 : 200;
        });
    WebhookDispatcher first = dispatcher(1000);
    WebhookDispatcher second = dispatcher(1000);

    // when: both instances dispatch until nothing is queued
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              first.dispatch();
              second.dispatch();
              return queuedCount() == 0;
            });

    // then: each delivery reached the receiver once, and each case in sequence order
    assertThat(queued).allSatisfy(id -> assertThat(receiver.deliveredCount(id)).isOne());
    assertThat(refusedOnce).as("some were retried").isNotEmpty();
    for (int c = 1; c <= 8; c++) {
      String caseNumber = "case-" + c;
      List<Integer> sequences =
          receiver.received().stream()
              .filter(r -> r.status() == 200)
              .map(Received::body)
              .filter(b -> caseNumber.equals(b.path("caseNumber").asString(null)))
              .map(b -> b.get("sequence").asInt())
              .toList();
      assertThat(sequences).as(caseNumber).containsExactlyElementsOf(range(1, 15));
    }
  }

  @Test
  void shouldGiveBackTheUnsentDeliveriesOfABatchWhenTheBreakerOpens() {
    // given: the agency is down, one failure opens the breaker, and ten deliveries are queued
    receiver.answer(AGENCY, d -> 503);
    for (int c = 1; c <= 10; c++) {
      rows.delivery(AGENCY, "case-" + c, 1, 0, "QUEUED", Instant.now());
    }
    WebhookDispatcher dispatcher = dispatcher(1);

    // when: one turn claims a batch and sends its first delivery, which opens the breaker
    dispatcher.dispatch();
    await().atMost(PATIENCE).until(() -> "OPEN".equals(dispatcher.breakerState(AGENCY)));
    await().atMost(PATIENCE).until(() -> attempts() == 1);

    // then: the nine not sent are due again now, not leased for half a minute and more, and the
    // one sent waits for its retry
    Timestamp soon = Timestamp.from(Instant.now().plusSeconds(5));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                jdbc.queryForObject(
                        "SELECT COUNT(*) FROM delivery WHERE recipient = ? AND state = 'QUEUED'"
                            + " AND next_attempt_at <= ?",
                        Integer.class,
                        AGENCY,
                        soon)
                    == 10);
  }

  private WebhookDispatcher dispatcher(int breakerFailures) {
    WebhookDispatcher dispatcher =
        new WebhookDispatcher(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(h2)),
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
            new BreakerSettings(breakerFailures, Duration.ofMinutes(10)),
            new EventLog(jdbc, clock, AuditTrails.direct(jdbc, clock)),
            Ciphers.forTests(),
            JsonMapper.builder().build(),
            new SimpleMeterRegistry(),
            clock);
    dispatchers.add(dispatcher);
    return dispatcher;
  }

  private int queuedCount() {
    return jdbc.queryForObject(
        "SELECT COUNT(*) FROM delivery WHERE recipient = ? AND state = 'QUEUED'",
        Integer.class,
        AGENCY);
  }

  private int attempts() {
    return jdbc.queryForObject("SELECT COUNT(*) FROM delivery_attempt", Integer.class);
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> range = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      range.add(i);
    }
    return range;
  }
}
