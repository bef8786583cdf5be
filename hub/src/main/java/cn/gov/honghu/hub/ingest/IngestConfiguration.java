package cn.gov.honghu.hub.ingest;

import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.dedup.Deduplicator;
import cn.gov.honghu.hub.delivery.BrokerAvailability;
import cn.gov.honghu.hub.metrics.IngestMetrics;
import cn.gov.honghu.hub.routing.Router;
import cn.gov.honghu.hub.routing.SenderAuthorization;
import cn.gov.honghu.hub.store.EventLog;
import cn.gov.honghu.hub.store.MessageStore;
import cn.gov.honghu.hub.thresholds.CaseAssessor;
import cn.gov.honghu.hub.validation.EnvelopeCheck;
import cn.gov.honghu.hub.validation.PayloadValidation;
import java.time.Clock;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the ingest flow: its routes over the stages of the message path, the accepting transaction,
 * the refusal recorder, the hub's one error policy for every route ({@link HubErrorPolicy}), and
 * the pipeline the HTTP front calls. Each stage is wired beside its feature.
 */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

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
}
