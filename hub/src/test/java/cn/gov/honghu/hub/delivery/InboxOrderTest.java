package cn.gov.honghu.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.audit.AuditTrails;
import cn.gov.honghu.hub.config.HubProperties.AgencyKind;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import cn.gov.honghu.hub.crypto.Ciphers;
import cn.gov.honghu.hub.metrics.DeliveryBacklog;
import cn.gov.honghu.hub.metrics.DeliveryMetrics;
import cn.gov.honghu.hub.store.EventLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The pull is read in index order (issue 15): alerts by their own range of {@code delivery_inbox}
 * first, then oldest first, with waiting deliveries in both states merged, however many finished
 * deliveries the table holds. Before, {@code state IN (...) ORDER BY priority DESC, id} made H2
 * read every delivery the recipient ever had and sort the waiting ones on each pull. An embedded H2
 * database with the hub's migrations.
 */
class InboxOrderTest {

  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final List<Agency> AGENCIES =
      List.of(
          new Agency("police", "police", AgencyKind.JUDICIAL, DeliveryMode.PULL, Set.of()),
          new Agency("court", "court", AgencyKind.JUDICIAL, DeliveryMode.PULL, Set.of()));

  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private JdbcTemplate jdbc;
  private DeliveryRows rows;
  private Inbox inbox;

  @BeforeEach
  void database() {
    DataSource h2 = DeliveryRows.migratedH2("inbox-order");
    jdbc = new JdbcTemplate(h2);
    rows = new DeliveryRows(jdbc);
    DeliveryMetrics metrics =
        new DeliveryMetrics(
            jdbc,
            new DeliveryBacklog(jdbc, AGENCIES, Duration.ofHours(2), clock),
            new SimpleMeterRegistry(),
            AGENCIES,
            clock,
            DeliveryMetrics.DEFAULT_TTL);
    inbox =
        new Inbox(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(h2)),
            new EventLog(jdbc, clock, AuditTrails.direct(jdbc, clock)),
            Ciphers.forTests(),
            clock,
            metrics,
            10_000_000);
  }

  @Test
  void shouldHandOutAlertsFirstThenOldestWhenManyFinishedDeliveriesLieBehind() {
    // given: 20,000 acknowledged deliveries of police and a backlog of queued and handed-out ones
    rows.history("police", "ACKNOWLEDGED", 20_000, T0.minus(Duration.ofDays(30)));
    String oldest = rows.delivery("police", "case-1", 1, 0, "QUEUED", T0);
    String alertHandedOut = rows.delivery("police", null, null, 1, "DELIVERED", T0);
    String next = rows.delivery("police", "case-2", 1, 0, "DELIVERED", T0);
    rows.delivery("court", "case-1", 1, 0, "QUEUED", T0);
    String later = rows.delivery("police", "case-1", 2, 0, "QUEUED", T0);
    String alert = rows.delivery("police", null, null, 1, "QUEUED", T0);

    // when: a pull whose limit cuts the backlog, then one that takes the rest
    List<String> first = ids(inbox.pull("police", 4));
    List<String> second = ids(inbox.pull("police", 500));

    // then
    assertThat(first).containsExactly(alertHandedOut, alert, oldest, next);
    assertThat(second).containsExactly(alertHandedOut, alert, oldest, next, later);
  }

  @Test
  void shouldReadEachRangeOfThePullInIndexOrderWhenExplainedOnH2() {
    // given: a table with history, so that the optimizer has a choice
    rows.history("police", "ACKNOWLEDGED", 2_000, T0);

    // when
    String plan =
        jdbc.queryForObject(
            "EXPLAIN "
                + inline(
                    Inbox.WAITING_IDS,
                    "'police'",
                    "'QUEUED'",
                    "1",
                    "50",
                    "'police'",
                    "'DELIVERED'",
                    "1",
                    "50",
                    "'police'",
                    "'QUEUED'",
                    "0",
                    "50",
                    "'police'",
                    "'DELIVERED'",
                    "0",
                    "50",
                    "50"),
            String.class);

    // then: four ranges of delivery_inbox, each read in index order, none sorted
    assertThat(count(plan, "/* public.delivery_inbox: ")).as(plan).isEqualTo(4);
    assertThat(count(plan, "/* index sorted */")).as(plan).isEqualTo(4);
  }

  @Test
  void shouldReadTheClaimCandidatesInIndexOrderWhenExplainedOnH2() {
    // given
    rows.history("water", "DELIVERED", 2_000, T0);

    // when
    String plan =
        jdbc.queryForObject(
            "EXPLAIN "
                + inline(
                    WebhookDispatcher.CANDIDATES,
                    "'water'",
                    "0",
                    "0",
                    "TIMESTAMP WITH TIME ZONE '2026-12-01 08:00:00+00'",
                    "25"),
            String.class);

    // then
    assertThat(plan).as(plan).contains("/* public.delivery_inbox: ").contains("/* index sorted */");
  }

  private static List<String> ids(List<Inbox.Item> items) {
    return items.stream().map(Inbox.Item::deliveryId).toList();
  }

  /** The statement with its parameters written in, in order (the plan then shows the values). */
  private static String inline(String sql, String... values) {
    StringBuilder inlined = new StringBuilder();
    int value = 0;
    for (char c : sql.toCharArray()) {
      if (c == '?') {
        inlined.append(values[value++]);
      } else {
        inlined.append(c);
      }
    }
    assertThat(value).as("parameters").isEqualTo(values.length);
    return inlined.toString();
  }

  private static int count(String text, String part) {
    Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }
}
