package cn.gov.honghu.hub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import cn.gov.honghu.hub.store.EventLog;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import tools.jackson.databind.json.JsonMapper;

/** The error policy's default configuration, for the scheduled routes that name none. */
class HubErrorPolicyTest extends CamelTestSupport {

  private RuntimeException failure;

  @Override
  protected RoutesBuilder[] createRouteBuilders() {
    return new RoutesBuilder[] {
      new HubErrorPolicy(new RefusalRecorder(mock(EventLog.class), JsonMapper.builder().build())),
      new RouteBuilder() {
        @Override
        public void configure() {
          from("direct:tick")
              .routeId("tick")
              .process(
                  exchange -> {
                    throw failure;
                  });
        }
      }
    };
  }

  @Test
  void shouldHandleAFailedScheduledRunWhenItIsAFault() {
    // given
    failure = new IllegalStateException("a fault");
    // when
    Exchange run = template.send("direct:tick", exchange -> {});
    // then
    assertThat(run.getException()).isNull();
    assertThat(run.getProperty(Exchange.EXCEPTION_CAUGHT)).isSameAs(failure);
    assertThat(context.getRoute("tick").getConfigurationId()).isEqualTo("<default>");
  }

  @Test
  void shouldHandleAFailedScheduledRunWhenTheStoreIsDown() {
    // given
    failure = new DataAccessResourceFailureException("store down");
    // when
    Exchange run = template.send("direct:tick", exchange -> {});
    // then
    assertThat(run.getException()).isNull();
    assertThat(run.getProperty(Exchange.EXCEPTION_CAUGHT)).isSameAs(failure);
  }

  @Test
  void shouldTellAnOutageFromAFault() {
    assertThat(
            HubErrorPolicy.isOutage(
                new RuntimeCamelException(new CannotCreateTransactionException("store down"))))
        .isTrue();
    assertThat(HubErrorPolicy.isOutage(new IllegalStateException("a fault"))).isFalse();
    assertThat(HubErrorPolicy.isOutage(null)).isFalse();
  }
}
