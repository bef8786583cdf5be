package cn.gov.honghu.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broker probe's verdicts: one slow or failed probe is tolerated, two in a row are not. */
class BrokerAvailabilityTest {

  private final ConnectionFactory broker = mock(ConnectionFactory.class);
  private final Connection connection = mock(Connection.class);
  private final BrokerAvailability availability =
      new BrokerAvailability(broker, Duration.ofMillis(200));
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    availability.close();
  }

  private void brokerUp() throws JMSException {
    when(broker.createConnection()).thenReturn(connection);
    when(connection.createSession(false, Session.AUTO_ACKNOWLEDGE)).thenReturn(mock(Session.class));
  }

  @Test
  void shouldStayAvailableWhenOneProbeFailsBetweenGoodOnes() throws Exception {
    // given
    brokerUp();
    availability.probe();
    when(broker.createConnection()).thenThrow(new JMSException("refused")).thenReturn(connection);
    // when
    boolean afterOneFailure = availability.probe();
    boolean afterRecovery = availability.probe();
    // then
    assertThat(afterOneFailure).isTrue();
    assertThat(afterRecovery).isTrue();
  }

  @Test
  void shouldReportUnavailableWhenTwoProbesInARowFail() throws Exception {
    // given
    when(broker.createConnection()).thenThrow(new JMSException("refused"));
    // when
    availability.probe();
    availability.probe();
    // then
    assertThat(availability.isAvailable()).isFalse();
  }

  @Test
  void shouldReportUnavailableWhenTheConnectHangsPastTheTimeout() throws Exception {
    // given: a connect that blocks until the test ends, as to a broker that is going away
    when(broker.createConnection())
        .thenAnswer(
            invocation -> {
              release.await();
              return connection;
            });
    // when: the first probe times out, the second finds the first still hanging
    availability.probe();
    availability.probe();
    // then
    assertThat(availability.isAvailable()).isFalse();
  }

  @Test
  void shouldBeAvailableAgainAtTheFirstGoodProbe() throws Exception {
    // given
    when(broker.createConnection())
        .thenThrow(new JMSException("refused"))
        .thenThrow(new JMSException("refused"))
        .thenReturn(connection);
    when(connection.createSession(false, Session.AUTO_ACKNOWLEDGE)).thenReturn(mock(Session.class));
    availability.probe();
    availability.probe();
    assertThat(availability.isAvailable()).isFalse();
    // when
    boolean back = availability.probe();
    // then
    assertThat(back).isTrue();
    assertThat(availability.isAvailable()).isTrue();
  }
}
