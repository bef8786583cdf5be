package cn.gov.honghu.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.crypto.EnvelopeCipher;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Inboxes;
import cn.gov.honghu.hub.support.Messages;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fishing-ban alerts over HTTP (HUB-SPEC section 8): correlation into incidents (distance and
 * window, across senders, by kind), updates instead of new alarms, acknowledgement, escalation once
 * (also across a restart), the incident views, and the priority lane. Escalation after 3 s here.
 */
class AlertIncidentsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final double LAT = 29.7931;
  private static final double LON = 113.5102;

  /** Reports are observed two hours ago, so that later ones (+30 min) are not in the future. */
  private static final OffsetDateTime T0 =
      OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(2).withNano(0);

  @TempDir static Path dataDir;
  static ConfigurableApplicationContext context;
  static HubClient hub;

  @BeforeAll
  static void start() {
    context = startHub();
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  private static ConfigurableApplicationContext startHub() {
    ConfigurableApplicationContext started =
        new SpringApplicationBuilder(HubApplication.class)
            .profiles("test")
            .run(
                "--server.port=0", "--hub.data-dir=" + dataDir, "--hub.alerts.escalate-after=PT3S");
    hub = new HubClient(((WebServerApplicationContext) started).getWebServer().getPort());
    return started;
  }

  @Test
  void shouldCorrelateNearbyReportsOfTwoSendersIntoOneIncidentAndDeliverThemAsUpdates() {
    // given: a report, then another agency's report 499 m away, 30 minutes later
    double lat = uniqueLatitude();
    ObjectNode first = alert("agriculture", lat, LON, T0, "ELECTRIC_FISHING");
    ObjectNode second =
        alert("water", north(lat, 499), LON, T0.plusMinutes(30), "ELECTRIC_FISHING");

    // when
    post("agriculture", first);
    post("water", second);

    // then: police (subscribed) gets the first as an alert and the second as an update
    JsonNode alarm = Inboxes.ofMessage(hub, "police", id(first));
    JsonNode update = Inboxes.ofMessage(hub, "police", id(second));
    assertThat(alarm.has("update") && alarm.get("update").asBoolean()).isFalse();
    assertThat(update.get("update").asBoolean()).isTrue();
    assertThat(update.get("incidentId").asString()).isEqualTo(alarm.get("incidentId").asString());
  }

  @Test
  void shouldOpenNewIncidentsBeyondTheDistanceTheWindowOrForAnotherKind() {
    // given
    double lat = uniqueLatitude();
    ObjectNode first = alert("agriculture", lat, LON, T0, "ELECTRIC_FISHING");
    ObjectNode far =
        alert("agriculture", north(lat, 501), LON, T0.plusMinutes(1), "ELECTRIC_FISHING");
    ObjectNode late =
        alert("agriculture", lat, LON, T0.plusMinutes(30).plusSeconds(1), "ELECTRIC_FISHING");
    ObjectNode otherKind = alert("agriculture", lat, LON, T0.plusMinutes(1), "NIGHT_VESSEL");

    // when
    for (ObjectNode report : List.of(first, far, late, otherKind)) {
      post("agriculture", report);
    }

    // then: four incidents
    List<String> incidents = new ArrayList<>();
    for (ObjectNode report : List.of(first, far, late, otherKind)) {
      incidents.add(incidentOf(report));
    }
    assertThat(incidents).doesNotHaveDuplicates();
  }

  @Test
  void shouldEscalateAnUnacknowledgedIncidentOnceToPoliceAndAgricultureAndNotAnAcknowledgedOne() {
    // given: two incidents; a recipient acknowledges the second
    ObjectNode ignored = alert("environment", uniqueLatitude(), LON, T0, "NET_IN_BAN_ZONE");
    ObjectNode answered = alert("environment", uniqueLatitude(), LON, T0, "NET_IN_BAN_ZONE");
    post("environment", ignored);
    post("environment", answered);
    ObjectNode ack = Messages.envelope("ALERT_ACK", "water", null);
    ((ObjectNode) ack.get("payload"))
        .put("alertId", answered.get("payload").get("alertId").asString())
        .put("action", "DISPATCHED");
    post("water", ack);

    // when: 3 s pass
    String ignoredIncident = incidentOf(ignored);
    await().atMost(PATIENCE).until(() -> escalations(ignoredIncident) == 1);
    context.getBean(EscalationWatch.class).sweep();

    // then: one escalation, to police and agriculture, naming the incident; none for the other
    assertThat(escalations(ignoredIncident)).isOne();
    assertThat(escalations(incidentOf(answered))).isZero();
    for (String recipient : List.of("police", "agriculture")) {
      JsonNode escalation =
          Inboxes.find(
              hub,
              recipient,
              d ->
                  "ALERT_ESCALATION".equals(d.get("type").asString())
                      && ignoredIncident.equals(
                          d.get("message").get("payload").get("incidentId").asString()));
      assertThat(escalation).as("escalation for %s", recipient).isNotNull();
      assertThat(escalation.get("message").get("sender").asString()).isEqualTo("hub");
      assertThat(escalation.get("message").get("payload").get("reports")).hasSize(1);
    }
    Answer view = hub.getWithKey("ops-test-key", "/admin/v1/incidents?size=500");
    JsonNode answeredView = incident(view, incidentOf(answered));
    assertThat(answeredView.get("acknowledgements").get(0).get("agency").asString())
        .isEqualTo("water");
    assertThat(answeredView.get("acknowledgements").get(0).get("action").asString())
        .isEqualTo("DISPATCHED");
    assertThat(incident(view, ignoredIncident).get("escalation").has("escalatedAt")).isTrue();

    // and after a restart the escalation is not sent again
    context.close();
    context = startHub();
    context.getBean(EscalationWatch.class).sweep();
    assertThat(escalations(ignoredIncident)).isOne();
  }

  @Test
  void shouldCloseAnIncidentOnAnAcknowledgementWithClosedSoTheNextReportOpensANewOne() {
    // given
    double lat = uniqueLatitude();
    ObjectNode first = alert("agriculture", lat, LON, T0, "ILLEGAL_SALE");
    post("agriculture", first);
    ObjectNode close = Messages.envelope("ALERT_ACK", "police", null);
    ((ObjectNode) close.get("payload"))
        .put("incidentId", incidentOf(first))
        .put("action", "CLOSED");
    post("police", close);

    // when
    ObjectNode again = alert("agriculture", lat, LON, T0.plusMinutes(1), "ILLEGAL_SALE");
    post("agriculture", again);

    // then
    assertThat(incidentOf(again)).isNotEqualTo(incidentOf(first));
    Answer view = hub.getWithKey("ops-test-key", "/admin/v1/incidents?state=CLOSED&size=500");
    assertThat(incident(view, incidentOf(first)).get("state").asString()).isEqualTo("CLOSED");
  }

  @Test
  void shouldShowIncidentsToSubscribedAgenciesAndNotToOthers() {
    // given: an alert in honghu-lake (court subscribes to nothing and receives nothing)
    ObjectNode report = alert("market", uniqueLatitude(), LON, T0, "OTHER");
    ((ObjectNode) report.get("payload")).put("waterArea", "honghu-lake");
    post("market", report);
    String incidentId = incidentOf(report);

    // when
    Answer subscribed = hub.get("forestry", "/api/v1/incidents?waterArea=honghu-lake&size=500");
    Answer other = hub.get("court", "/api/v1/incidents?size=500");

    // then
    assertThat(subscribed.status()).as(subscribed.text()).isEqualTo(200);
    JsonNode seen = incident(subscribed, incidentId);
    assertThat(seen.get("position").get("lat").asDouble())
        .isEqualTo(report.get("payload").get("lat").asDouble());
    assertThat(seen.get("reports")).hasSize(1);
    assertThat(seen.get("recipients").toString()).contains("forestry").doesNotContain("market");
    assertThat(incident(other, incidentId)).isNull();
    assertThat(hub.get("court", "/admin/v1/incidents").status()).isEqualTo(403);
  }

  @Test
  void shouldHandOutANewAlertFirstWhenThousandsOfCaseMessagesAreQueued() {
    // given: 3,000 case deliveries queued for the police
    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
    List<Object[]> messages = new ArrayList<>();
    List<Object[]> backlog = new ArrayList<>();
    Timestamp queuedAt = Timestamp.from(T0.toInstant());
    for (int i = 0; i < 3000; i++) {
      String messageId = UUID.randomUUID().toString();
      messages.add(
          new Object[] {
            messageId,
            UUID.randomUUID().toString().replace("-", "") + "0".repeat(32),
            UUID.randomUUID().toString(),
            queuedAt
          });
      backlog.add(new Object[] {UUID.randomUUID().toString(), messageId, queuedAt});
    }
    jdbc.batchUpdate(
        "INSERT INTO hub_message (message_id, type, sender, business_key_sha256, receipt_id,"
            + " receipt, envelope, accepted_at) VALUES (?, 'CASE_TRANSFER', 'agriculture', ?, ?,"
            + " '{}', '{}', ?)",
        messages);
    jdbc.batchUpdate(
        "INSERT INTO delivery (delivery_id, message_id, recipient, priority, state, created_at)"
            + " VALUES (?, ?, 'police', 0, 'QUEUED', ?)",
        backlog);

    // when
    ObjectNode report = alert("agriculture", uniqueLatitude(), LON, T0, "ELECTRIC_FISHING");
    post("agriculture", report);

    // then: the alert comes before every queued case message (only other alerts may precede it)
    Answer pulled = hub.get("police", "/api/v1/inbox?limit=500");
    List<String> types = new ArrayList<>();
    int position = -1;
    for (JsonNode delivery : pulled.get("deliveries")) {
      if (delivery.get("messageId").asString().equals(id(report))) {
        position = types.size();
      }
      types.add(delivery.get("type").asString());
    }
    assertThat(position).as("the alert is in the first page of 500").isNotNegative();
    assertThat(types.subList(0, position))
        .allSatisfy(type -> assertThat(type).isIn("FISHING_BAN_ALERT", "ALERT_ESCALATION"));
  }

  // ---- helpers ----

  private static final java.util.concurrent.atomic.AtomicInteger PLACES =
      new java.util.concurrent.atomic.AtomicInteger();

  /** A latitude 10 km from any other test's, so that reports of different tests never correlate. */
  private static double uniqueLatitude() {
    return LAT + PLACES.incrementAndGet() * 0.1;
  }

  private static double north(double lat, double metres) {
    return lat + Math.toDegrees(metres / GreatCircle.EARTH_RADIUS_M);
  }

  private static ObjectNode alert(
      String sender, double lat, double lon, OffsetDateTime observedAt, String kind) {
    ObjectNode alert = Messages.alert(sender, "ALERT-" + UUID.randomUUID(), "yangtze-honghu");
    ((ObjectNode) alert.get("payload"))
        .put("lat", lat)
        .put("lon", lon)
        .put("observedAt", observedAt.toString())
        .put("kind", kind);
    return alert;
  }

  private static void post(String agency, ObjectNode message) {
    Answer answer = hub.post(agency, message);
    assertThat(answer.status()).as(answer.text()).isEqualTo(202);
  }

  private static String id(ObjectNode message) {
    return message.get("messageId").asString();
  }

  private static String incidentOf(ObjectNode alert) {
    return context
        .getBean(JdbcTemplate.class)
        .queryForObject(
            "SELECT incident_id FROM alert WHERE message_id = ?", String.class, id(alert));
  }

  /** Escalation messages naming the incident; envelopes are stored sealed, so opened here. */
  private static int escalations(String incidentId) {
    EnvelopeCipher cipher = context.getBean(EnvelopeCipher.class);
    return (int)
        context
            .getBean(JdbcTemplate.class)
            .query(
                "SELECT message_id, envelope FROM hub_message WHERE type = 'ALERT_ESCALATION'",
                (rs, i) -> cipher.open(rs.getString(1), rs.getString(2)))
            .stream()
            .filter(envelope -> envelope.contains(incidentId))
            .count();
  }

  private static JsonNode incident(Answer page, String incidentId) {
    for (JsonNode incident : page.get("items")) {
      if (incident.get("incidentId").asString().equals(incidentId)) {
        return incident;
      }
    }
    return null;
  }
}
