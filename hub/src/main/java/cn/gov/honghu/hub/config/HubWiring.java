package cn.gov.honghu.hub.config;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.alerts.AlertIndex;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.cases.TransferOmissions;
import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.dedup.Deduplicator;
import cn.gov.honghu.hub.delivery.BrokerAvailability;
import cn.gov.honghu.hub.delivery.DeliveryRoutes;
import cn.gov.honghu.hub.delivery.Inbox;
import cn.gov.honghu.hub.delivery.OutboxRelay;
import cn.gov.honghu.hub.ingest.HubErrorPolicy;
import cn.gov.honghu.hub.ingest.IngestPipeline;
import cn.gov.honghu.hub.ingest.IngestRoutes;
import cn.gov.honghu.hub.ingest.RefusalRecorder;
import cn.gov.honghu.hub.metrics.DeliveryMetrics;
import cn.gov.honghu.hub.metrics.IngestMetrics;
import cn.gov.honghu.hub.routing.Router;
import cn.gov.honghu.hub.routing.SenderAuthorization;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.MessageStore;
import cn.gov.honghu.hub.thresholds.CaseAssessor;
import cn.gov.honghu.hub.tracking.MessageQueries;
import cn.gov.honghu.hub.validation.EnvelopeCheck;
import cn.gov.honghu.hub.validation.PayloadValidation;
import cn.gov.honghu.hub.validation.SchemaCatalog;
import cn.gov.honghu.hub.web.Callers;
import jakarta.jms.ConnectionFactory;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.stream.Collectors;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The composition root: the message path's plain classes, wired by constructor. Domain classes
 * carry no Spring annotations; this is the one place that knows them all.
 */
@Configuration(proxyBeanMethods = false)
class HubWiring {

  @Bean
  EventLog eventLog(JdbcTemplate jdbc, Clock clock) {
    return new EventLog(jdbc, clock);
  }

  @Bean
  Callers callers(AgencyRegistry registry) {
    return new Callers(registry);
  }

  @Bean
  SchemaCatalog schemaCatalog() {
    return new SchemaCatalog();
  }

  /** Bean validation on the hub's clock, so "at most 5 minutes ahead" follows injected time. */
  @Bean
  Validator messageValidator(Clock clock) {
    return Validation.byDefaultProvider()
        .configure()
        .clockProvider(() -> clock)
        .buildValidatorFactory()
        .getValidator();
  }

  @Bean
  EnvelopeCheck envelopeCheck(SchemaCatalog schemas) {
    return new EnvelopeCheck(schemas);
  }

  @Bean
  PayloadValidation payloadValidation(
      SchemaCatalog schemas,
      Validator messageValidator,
      AgencyRegistry agencies,
      HubProperties hub) {
    return new PayloadValidation(
        schemas,
        messageValidator,
        agencies,
        hub.waterAreas().stream()
            .map(HubProperties.WaterAreaConfig::code)
            .collect(Collectors.toSet()));
  }

  @Bean
  CaseIndex caseIndex(JdbcTemplate jdbc) {
    return new CaseIndex(jdbc);
  }

  @Bean
  AlertIndex alertIndex(JdbcTemplate jdbc, HubProperties hub) {
    return new AlertIndex(
        jdbc,
        hub.alerts().correlationDistanceM(),
        hub.alerts().correlationWindow(),
        hub.alerts().escalateAfter());
  }

  @Bean
  SenderAuthorization senderAuthorization(Router router, CaseIndex cases) {
    return new SenderAuthorization(router, cases);
  }

  @Bean
  Deduplicator deduplicator(JdbcTemplate jdbc, JsonMapper json, EventLog events, Clock clock) {
    return new Deduplicator(jdbc, json, events, clock);
  }

  @Bean
  MessageStore messageStore(
      JdbcTemplate jdbc,
      CaseIndex cases,
      AlertIndex alerts,
      AgencyRegistry agencies,
      EventLog events,
      TransferOmissions omissions,
      JsonMapper json,
      Clock clock,
      HubProperties hub) {
    return new MessageStore(
        jdbc, cases, alerts, agencies, events, omissions, json, clock, hub.zone());
  }

  /** The accepting transaction of the ingest flow (case lock, routing, store): one commit. */
  @Bean(IngestRoutes.ACCEPT_TRANSACTION)
  SpringTransactionPolicy acceptTransaction(PlatformTransactionManager transactions) {
    SpringTransactionPolicy policy = new SpringTransactionPolicy(transactions);
    policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
    return policy;
  }

  @Bean
  RefusalRecorder refusalRecorder(EventLog events, JsonMapper json) {
    return new RefusalRecorder(events, json);
  }

  @Bean
  HubErrorPolicy hubErrorPolicy(RefusalRecorder recorder) {
    return new HubErrorPolicy(recorder);
  }

  @Bean
  IngestRoutes ingestRoutes(
      EnvelopeCheck envelope,
      SenderAuthorization authorization,
      PayloadValidation payload,
      Deduplicator dedup,
      CaseAssessor assessor,
      Router router,
      MessageStore store,
      DeadlineBook deadlines,
      BrokerAvailability broker,
      Clock clock) {
    return new IngestRoutes(
        envelope, authorization, payload, dedup, assessor, router, store, deadlines, broker, clock);
  }

  @Bean
  IngestPipeline ingestPipeline(ProducerTemplate producer, IngestMetrics metrics) {
    return new IngestPipeline(producer, metrics);
  }

  @Bean
  Inbox inbox(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      EventLog events,
      Clock clock,
      DeliveryMetrics metrics) {
    return new Inbox(jdbc, transaction, events, clock, metrics);
  }

  @Bean
  OutboxRelay outboxRelay(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      ConnectionFactory connectionFactory,
      EventLog events,
      JsonMapper json,
      HubProperties hub,
      AgencyRegistry agencies,
      Clock clock) {
    return new OutboxRelay(
        jdbc,
        transaction,
        connectionFactory,
        events,
        json,
        hub.broker().relayBatchSize(),
        agencies.all().stream()
            .filter(a -> a.deliveryMode() == HubProperties.DeliveryMode.JMS)
            .map(Agency::code)
            .collect(Collectors.toSet()),
        clock,
        FaultHooks.haltAfterPublish());
  }

  /** Probes with fresh connections: a cached one can look alive after the broker went away. */
  @Bean
  BrokerAvailability brokerAvailability(ConnectionFactory connectionFactory, HubProperties hub) {
    ConnectionFactory target =
        connectionFactory instanceof CachingConnectionFactory caching
                && caching.getTargetConnectionFactory() != null
            ? caching.getTargetConnectionFactory()
            : connectionFactory;
    // A probe may take at most the check interval, and never less than five seconds.
    java.time.Duration interval = hub.broker().availabilityCheckInterval();
    return new BrokerAvailability(
        target,
        interval.compareTo(java.time.Duration.ofSeconds(5)) < 0
            ? java.time.Duration.ofSeconds(5)
            : interval);
  }

  @Bean
  DeliveryRoutes deliveryRoutes(OutboxRelay relay, BrokerAvailability broker, HubProperties hub) {
    return new DeliveryRoutes(
        relay, broker, hub.broker().relayInterval(), hub.broker().availabilityCheckInterval());
  }

  @Bean
  MessageQueries messageQueries(JdbcTemplate jdbc) {
    return new MessageQueries(jdbc);
  }
}
