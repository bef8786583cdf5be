package cn.gov.honghu.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.config.HubProperties.AgencyKind;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.message.Receipt;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.web.ProblemException;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

class IngestMetricsTest {

  private static final Agency WATER =
      new Agency("water", "水利", AgencyKind.ADMINISTRATIVE, DeliveryMode.PULL, Set.of());
  private static final Receipt RECEIPT =
      new Receipt(
          "m-1", "r-1", Receipt.ACCEPTED, List.of("police"), List.of(), List.of(), List.of(), null);

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final IngestMetrics metrics = new IngestMetrics(registry);

  @Test
  void shouldCountAcceptedWith202WhenTheMessageIsAnswered202() {
    // given
    Submission message = submission(MessageType.CASE_TRANSFER);
    // when
    metrics.record(message, () -> message.answer(202, RECEIPT));
    // then
    assertThat(count("water", "CASE_TRANSFER", "accepted", "202")).isEqualTo(1);
  }

  @Test
  void shouldCountDuplicateWith200WhenTheMessageIsAnsweredAsADuplicate() {
    // given
    Submission message = submission(MessageType.CASE_TRANSFER);
    // when
    metrics.record(message, () -> message.answer(200, RECEIPT.asDuplicateOf("m-0")));
    // then
    assertThat(count("water", "CASE_TRANSFER", "duplicate", "200")).isEqualTo(1);
  }

  @Test
  void shouldCountRefusedWithItsStatusAndRethrowItWhenTheMessageIsRefused() {
    // given
    Submission message = submission(MessageType.JUDGMENT);
    ProblemException refusal = ProblemException.forbidden("water may not send JUDGMENT");
    // when / then
    assertThatThrownBy(
            () ->
                metrics.record(
                    message,
                    () -> {
                      throw refusal;
                    }))
        .isSameAs(refusal);
    assertThat(count("water", "JUDGMENT", "refused", "403")).isEqualTo(1);
  }

  @Test
  void shouldTagTypeUnknownWhenTheEnvelopeNamedNoKnownType() {
    // given: the envelope check refused before it resolved a type
    Submission message = submission(null);
    // when
    assertThatThrownBy(
            () ->
                metrics.record(
                    message,
                    () -> {
                      throw ProblemException.badRequest("type: unknown message type");
                    }))
        .isInstanceOf(ProblemException.class);
    // then
    assertThat(count("water", "unknown", "refused", "400")).isEqualTo(1);
  }

  @Test
  void shouldCountFailedWith503AndRethrowWhenTheStoreIsUnavailable() {
    // given
    Submission message = submission(MessageType.CASE_TRANSFER);
    RuntimeException down = new DataAccessResourceFailureException("connection refused");
    // when / then
    assertThatThrownBy(
            () ->
                metrics.record(
                    message,
                    () -> {
                      throw down;
                    }))
        .isSameAs(down);
    assertThat(count("water", "CASE_TRANSFER", "failed", "503")).isEqualTo(1);
  }

  @Test
  void shouldCountFailedWith500WhenTheHubFailsUnexpectedly() {
    // given
    Submission message = submission(MessageType.CASE_TRANSFER);
    // when
    assertThatThrownBy(
            () ->
                metrics.record(
                    message,
                    () -> {
                      throw new IllegalStateException("ingest ended without an answer");
                    }))
        .isInstanceOf(IllegalStateException.class);
    // then
    assertThat(count("water", "CASE_TRANSFER", "failed", "500")).isEqualTo(1);
  }

  @Test
  void shouldTimeTheIngestByAgencyAndOutcomeWhenItEnds() {
    // given
    Submission message = submission(MessageType.CASE_TRANSFER);
    // when
    metrics.record(
        message,
        () -> {
          clock.add(Duration.ofMillis(40));
          message.answer(202, RECEIPT);
        });
    // then
    var timer =
        registry.get(IngestMetrics.LATENCY).tags("agency", "water", "outcome", "accepted").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
  }

  private double count(String agency, String type, String outcome, String status) {
    return registry
        .get(IngestMetrics.MESSAGES)
        .tags(Tags.of("agency", agency, "type", type, "outcome", outcome, "status", status))
        .counter()
        .count();
  }

  private static Submission submission(MessageType type) {
    Submission message = new Submission(WATER, "{}".getBytes(StandardCharsets.UTF_8));
    if (type != null) {
      message.type(type);
    }
    return message;
  }
}
