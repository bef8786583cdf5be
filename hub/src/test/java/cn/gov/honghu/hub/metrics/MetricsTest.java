package cn.gov.honghu.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /actuator/prometheus} over real HTTP, without credentials. The context (and its meter
 * registry and database) is shared with every other application test, so each test compares the
 * values before and after its own requests. The delivery gauges are cached for a few seconds; the
 * tests drop the cache instead of waiting it out.
 */
@ApplicationTest
class MetricsTest {

  private static final String MESSAGES = "hub_ingest_messages_total";
  private static final String LATENCY_COUNT = "hub_ingest_latency_seconds_count";
  private static final String PENDING = "hub_delivery_pending";
  private static final String OLDEST_AGE = "hub_delivery_oldest_unacknowledged_age_seconds";
  private static final String RECIPIENT = "forestry";

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired DeliveryMetrics deliveryMetrics;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldCountAcceptedDuplicateAndRefusedMessagesByAgencyTypeOutcomeAndStatus() {
    // given
    Map<String, String> accepted = ingest("agriculture", "CASE_TRANSFER", "accepted", "202");
    Map<String, String> duplicate = ingest("agriculture", "CASE_TRANSFER", "duplicate", "200");
    Map<String, String> refused = ingest("police", "CASE_TRANSFER", "refused", "403");
    PrometheusScrape before = scrape();
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);

    // when: accepted, then the same message again, then a type the police may not send
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(200);
    Answer forbidden =
        hub.post("police", Messages.of("CASE_TRANSFER", "police", Messages.newCaseNumber(), null));
    assertThat(forbidden.status()).isEqualTo(403);
    PrometheusScrape after = scrape();

    // then
    assertThat(increase(before, after, MESSAGES, accepted)).isEqualTo(1);
    assertThat(increase(before, after, MESSAGES, duplicate)).isEqualTo(1);
    assertThat(increase(before, after, MESSAGES, refused)).isEqualTo(1);
    assertThat(increase(before, after, LATENCY_COUNT, latency("agriculture", "accepted")))
        .isEqualTo(1);
    assertThat(increase(before, after, LATENCY_COUNT, latency("agriculture", "duplicate")))
        .isEqualTo(1);
    assertThat(increase(before, after, LATENCY_COUNT, latency("police", "refused"))).isEqualTo(1);
  }

  @Test
  void shouldTagTypeUnknownWhenTheEnvelopeNamesNoKnownType() {
    // given
    Map<String, String> unknown = ingest("police", "unknown", "refused", "400");
    PrometheusScrape before = scrape();
    ObjectNode message = Messages.envelope("CASE_TRANSFER", "police", Messages.newCaseNumber());
    message.put("type", "NOT_A_TYPE_" + System.nanoTime());

    // when
    assertThat(hub.post("police", message).status()).isEqualTo(400);
    PrometheusScrape after = scrape();

    // then: one series for every unknown type, none named after the posted value
    assertThat(increase(before, after, MESSAGES, unknown)).isEqualTo(1);
    assertThat(after.text()).doesNotContain("NOT_A_TYPE_");
  }

  @Test
  void shouldNeverShowPayloadContentWhenScraped() {
    // given: a message full of personal data, accepted
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    deliveryMetrics.invalidate();

    // when
    String text = scrape().text();

    // then
    assertThat(text)
        .contains(MESSAGES)
        .doesNotContain(Messages.SUSPECT_NAME)
        .doesNotContain(Messages.SUSPECT_ID)
        .doesNotContain(Messages.SUSPECT_PHONE)
        .doesNotContain(transfer.get("messageId").asString())
        .doesNotContain(transfer.get("caseNumber").asString());
  }

  @Test
  void shouldShowAPendingDeliveryWhenItsRecipientHasNotAcknowledgedIt() {
    // given
    deliveryMetrics.invalidate();
    double before = scrape().value(PENDING, Map.of("agency", RECIPIENT));

    // when
    String deliveryId = deliveryTo(RECIPIENT, postSuggestionTo(RECIPIENT));
    try {
      deliveryMetrics.invalidate();
      PrometheusScrape after = scrape();

      // then
      assertThat(after.has(PENDING, Map.of("agency", RECIPIENT))).isTrue();
      assertThat(after.value(PENDING, Map.of("agency", RECIPIENT))).isEqualTo(before + 1);
    } finally {
      // cleanup, also when an assertion failed: no pending delivery is left for other tests
      acknowledge(RECIPIENT, deliveryId);
    }
  }

  @Test
  void shouldShowTheAgeOfTheOldestUnacknowledgedDeliveryWhenARecipientStalls() {
    // given: a delivery to the recipient created two hours ago, still unacknowledged
    String deliveryId = deliveryTo(RECIPIENT, postSuggestionTo(RECIPIENT));
    try {
      jdbc.update(
          "UPDATE delivery SET created_at = ? WHERE delivery_id = ?",
          Timestamp.from(Instant.now().minus(Duration.ofHours(2))),
          deliveryId);
      deliveryMetrics.invalidate();

      // when
      PrometheusScrape scrape = scrape();

      // then
      assertThat(scrape.value(OLDEST_AGE, Map.of("agency", RECIPIENT)))
          .isGreaterThanOrEqualTo(Duration.ofHours(2).toSeconds());
      assertThat(scrape.has("hub_outbox_size", Map.of())).isTrue();
      assertThat(scrape.has("hub_outbox_lag_seconds", Map.of())).isTrue();
    } finally {
      // cleanup, also when an assertion failed: a two-hour-old unacknowledged delivery left
      // behind would make the recipient look stalled to every later test
      acknowledge(RECIPIENT, deliveryId);
    }
  }

  @Test
  void shouldCountPulledAndFirstAcknowledgedDeliveriesPerAgency() {
    // given
    String deliveryId = deliveryTo(RECIPIENT, postSuggestionTo(RECIPIENT));
    PrometheusScrape before = scrape();

    // when: one pull, and the same acknowledgement twice
    Answer pulled;
    try {
      pulled = hub.get(RECIPIENT, "/api/v1/inbox?limit=500");
      assertThat(pulled.status()).isEqualTo(200);
    } finally {
      // the delivery is acknowledged even when the pull failed, so none is left pending
      acknowledge(RECIPIENT, deliveryId);
    }
    acknowledge(RECIPIENT, deliveryId);
    PrometheusScrape after = scrape();

    // then
    Map<String, String> agency = Map.of("agency", RECIPIENT);
    assertThat(increase(before, after, "hub_delivery_pulled_total", agency))
        .isEqualTo(pulled.get("deliveries").size())
        .isPositive();
    assertThat(increase(before, after, "hub_delivery_acknowledged_total", agency)).isEqualTo(1);
  }

  private PrometheusScrape scrape() {
    Answer answer = hub.get(null, "/actuator/prometheus");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return new PrometheusScrape(answer.text());
  }

  private static double increase(
      PrometheusScrape before, PrometheusScrape after, String name, Map<String, String> labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  private static Map<String, String> ingest(
      String agency, String type, String outcome, String status) {
    return Map.of("agency", agency, "type", type, "outcome", outcome, "status", status);
  }

  private static Map<String, String> latency(String agency, String outcome) {
    return Map.of("agency", agency, "outcome", outcome);
  }

  /** A procuratorial suggestion addressed to the agency, on a new case; its messageId. */
  private String postSuggestionTo(String addressee) {
    ObjectNode suggestion =
        Messages.of(
            "PROCURATORIAL_SUGGESTION", "procuratorate", Messages.newCaseNumber(), addressee);
    Answer answer = hub.post("procuratorate", suggestion);
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
    return suggestion.get("messageId").asString();
  }

  private String deliveryTo(String recipient, String messageId) {
    return jdbc.queryForObject(
        "SELECT delivery_id FROM delivery WHERE message_id = ? AND recipient = ?",
        String.class,
        messageId,
        recipient);
  }

  private void acknowledge(String agency, String deliveryId) {
    Answer ack = hub.postRaw(agency, "/api/v1/inbox/" + deliveryId + "/ack", null, new byte[0]);
    assertThat(ack.status()).as(ack.text()).isEqualTo(204);
  }
}
