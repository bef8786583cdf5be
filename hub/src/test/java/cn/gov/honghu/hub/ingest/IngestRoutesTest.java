package cn.gov.honghu.hub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.config.HubProperties.AgencyKind;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.dedup.Deduplicator;
import cn.gov.honghu.hub.delivery.BrokerAvailability;
import cn.gov.honghu.hub.message.Assessment;
import cn.gov.honghu.hub.message.Receipt;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.message.Submission.RoutingDecision;
import cn.gov.honghu.hub.routing.Router;
import cn.gov.honghu.hub.routing.SenderAuthorization;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.EventLog.Event;
import cn.gov.honghu.hub.store.EventLog.Kind;
import cn.gov.honghu.hub.store.MessageStore;
import cn.gov.honghu.hub.thresholds.CaseAssessor;
import cn.gov.honghu.hub.validation.EnvelopeCheck;
import cn.gov.honghu.hub.validation.PayloadValidation;
import cn.gov.honghu.hub.web.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ingest flow's routing of outcomes, with its steps replaced: the order of all twelve steps, a
 * refusal ending the flow and being recorded exactly once, a duplicate skipping routing and
 * storage, and an unexpected failure propagating to the HTTP front instead of being reported as
 * accepted.
 */
class IngestRoutesTest extends CamelTestSupport {

  private final EnvelopeCheck envelope = mock(EnvelopeCheck.class);
  private final SenderAuthorization authorization = mock(SenderAuthorization.class);
  private final PayloadValidation payload = mock(PayloadValidation.class);
  private final Deduplicator dedup = mock(Deduplicator.class);
  private final Router router = mock(Router.class);
  private final MessageStore store = mock(MessageStore.class);
  private final EventLog events = mock(EventLog.class);
  private final BrokerAvailability broker = mock(BrokerAvailability.class);
  private final CaseAssessor assessor = mock(CaseAssessor.class);
  private final DeadlineBook deadlines = mock(DeadlineBook.class);

  private static final Agency WATER =
      new Agency("water", "水利", AgencyKind.ADMINISTRATIVE, DeliveryMode.PULL, Set.of());

  @Override
  protected RoutesBuilder[] createRouteBuilders() {
    return new RoutesBuilder[] {
      new HubErrorPolicy(new RefusalRecorder(events, JsonMapper.builder().build())),
      new IngestRoutes(
          envelope,
          authorization,
          payload,
          dedup,
          assessor,
          router,
          store,
          deadlines,
          broker,
          Clock.systemUTC())
    };
  }

  @Override
  protected void bindToRegistry(Registry registry) {
    // The accepting transaction runs on a real (in-memory) database transaction manager.
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:ingest-routes-test");
    registry.bind(
        IngestRoutes.ACCEPT_TRANSACTION,
        new SpringTransactionPolicy(new DataSourceTransactionManager(database)));
  }

  @org.junit.jupiter.api.BeforeEach
  void brokerUp() {
    when(broker.isAvailable()).thenReturn(true);
    when(assessor.assess(org.mockito.ArgumentMatchers.any())).thenReturn(Assessment.NONE);
  }

  private Exchange post(Submission message) {
    return template.send(IngestRoutes.ENTRY, e -> e.getMessage().setBody(message));
  }

  private static Submission submission() {
    return new Submission(WATER, "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldRunTheStepsInTheCheckOrderOfTheSpecWhenTheMessageIsNew() {
    // given
    Submission message = submission();
    when(router.route(any()))
        .thenReturn(new RoutingDecision(List.of("police"), List.of("T1"), List.of(), List.of()));
    doAnswer(
            i -> {
              message.answer(
                  202,
                  new Receipt(
                      "m",
                      "r",
                      Receipt.ACCEPTED,
                      List.of(),
                      List.of(),
                      List.of(),
                      List.of(),
                      null));
              return null;
            })
        .when(store)
        .accept(message);
    // when
    Exchange exchange = post(message);
    // then
    assertThat(exchange.getException()).isNull();
    // all 12 steps of IngestRoutes, each once, in order
    InOrder order =
        inOrder(
            envelope, authorization, payload, dedup, broker, assessor, router, store, deadlines);
    order.verify(envelope).check(message);
    order.verify(authorization).check(message);
    order.verify(payload).check(message);
    order.verify(dedup).fingerprint(message);
    order.verify(dedup).check(message);
    order.verify(broker).isAvailable();
    order.verify(authorization).lockCase(eq(message), any());
    order.verify(assessor).assess(message);
    order.verify(router).route(message);
    order.verify(store).accept(message);
    order.verify(assessor).recordPenalty(message);
    order.verify(deadlines).track(eq(message), any());
    order.verifyNoMoreInteractions();
    assertThat(message.assessment()).isSameAs(Assessment.NONE);
    assertThat(message.outcomeStatus()).isEqualTo(202);
  }

  @Test
  void shouldEndTheFlowAndRecordTheRefusalOnceWhenAStepRefuses() {
    // given
    Submission message = submission();
    ProblemException refusal = ProblemException.forbidden("sender is not the authenticated agency");
    doThrow(refusal).when(authorization).check(message);
    // when
    Exchange exchange = post(message);
    // then
    assertThat(exchange.getProperty(HubErrorPolicy.REFUSAL)).isSameAs(refusal);
    verify(payload, never()).check(any());
    verify(dedup, never()).check(any());
    verify(store, never()).accept(any());
    ArgumentCaptor<Event> recorded = ArgumentCaptor.forClass(Event.class);
    verify(events, times(1)).append(recorded.capture());
    assertThat(recorded.getValue().kind()).isEqualTo(Kind.REFUSED);
    assertThat(recorded.getValue().status()).isEqualTo(403);
  }

  @Test
  void shouldSkipRoutingAndStorageWhenTheMessageIsADuplicate() {
    // given
    Submission message = submission();
    doAnswer(
            i -> {
              message.answer(
                  200,
                  new Receipt(
                      "m",
                      "r",
                      Receipt.DUPLICATE,
                      List.of(),
                      List.of(),
                      List.of(),
                      List.of(),
                      "m"));
              return null;
            })
        .when(dedup)
        .check(message);
    // when
    post(message);
    // then
    verify(router, never()).route(any());
    verify(store, never()).accept(any());
    assertThat(message.outcomeStatus()).isEqualTo(200);
  }

  @Test
  void shouldPropagateAnUnexpectedFailureWithoutRecordingARefusalWhenTheStoreFails() {
    // given
    Submission message = submission();
    when(router.route(any()))
        .thenReturn(new RoutingDecision(List.of("police"), List.of("T1"), List.of(), List.of()));
    doThrow(new IllegalStateException("database gone")).when(store).accept(message);
    // when
    Exchange exchange = post(message);
    // then
    assertThat(HubErrorPolicy.causeOfType(exchange.getException(), IllegalStateException.class))
        .hasMessage("database gone");
    assertThat(exchange.getProperty(HubErrorPolicy.REFUSAL)).isNull();
    assertThat(message.isAnswered()).isFalse();
    verify(events, never()).append(any(Event.class));
  }

  @Test
  void shouldAnswerFromTheWinnerWhenAConcurrentTwinWinsTheUniqueKey() {
    // given: the store loses the race on the unique key; the recheck then finds the winner
    Submission message = submission();
    when(router.route(any()))
        .thenReturn(new RoutingDecision(List.of("police"), List.of("T1"), List.of(), List.of()));
    doThrow(new org.springframework.dao.DuplicateKeyException("message_key"))
        .when(store)
        .accept(message);
    doAnswer(
            i -> {
              if (message.routing() != null) {
                message.answer(
                    200,
                    new Receipt(
                        "m",
                        "r",
                        Receipt.DUPLICATE,
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        "m"));
              }
              return null;
            })
        .when(dedup)
        .check(message);
    // when
    Exchange exchange = post(message);
    // then
    assertThat(exchange.getException()).isNull();
    assertThat(message.outcomeStatus()).isEqualTo(200);
    verify(dedup, times(2)).check(message);
  }

  @Test
  void shouldRefuseWith503AndStoreNothingWhenTheBrokerIsUnreachable() {
    // given
    Submission message = submission();
    when(broker.isAvailable()).thenReturn(false);
    // when
    Exchange exchange = post(message);
    // then
    ProblemException refusal = exchange.getProperty(HubErrorPolicy.REFUSAL, ProblemException.class);
    assertThat(refusal.status()).isEqualTo(503);
    verify(authorization, never()).lockCase(any(), any());
    verify(store, never()).accept(any());
  }
}
