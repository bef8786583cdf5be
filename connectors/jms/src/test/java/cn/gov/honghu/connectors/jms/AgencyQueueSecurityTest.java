package cn.gov.honghu.connectors.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.connectors.jms.AgencyQueueSecurity.Account;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The security settings on a real (in-vm, in-memory) Artemis: who may do what on which queue. */
class AgencyQueueSecurityTest {

  private static final String URL = "vm://7301";
  private static EmbeddedActiveMQ broker;
  private static ActiveMQConnectionFactory clients;

  @BeforeAll
  static void startBroker() throws Exception {
    AgencyQueueSecurity security =
        new AgencyQueueSecurity(
            "hub-user",
            "hub-secret",
            List.of(
                new Account("police", "police-user", "police-secret"),
                new Account("court", "court-user", "court-secret")));
    ConfigurationImpl configuration = new ConfigurationImpl();
    configuration.setPersistenceEnabled(false);
    configuration.addAcceptorConfiguration("in-vm", URL);
    security.applyTo(configuration);
    broker = new EmbeddedActiveMQ();
    broker.setConfiguration(configuration);
    broker.setSecurityManager(security.securityManager());
    broker.start();
    clients = new ActiveMQConnectionFactory(URL);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    clients.close();
    broker.stop();
  }

  @Test
  void shouldLetAnAgencyConsumeWhatTheHubSentToItsQueue() throws Exception {
    // given: the hub sends to the police queue
    send("hub-user", "hub-secret", "hub.delivery.police", "for the police");
    // when/then: the police receive it with their own account
    try (Connection connection = connect("police-user", "police-secret")) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Message message =
          session.createConsumer(session.createQueue("hub.delivery.police")).receive(5_000);
      assertThat(((TextMessage) message).getText()).isEqualTo("for the police");
    }
  }

  @Test
  void shouldLetAnAgencyConsumeItsDeclaredQueueBeforeTheFirstDelivery() throws Exception {
    try (Connection connection = connect("court-user", "court-secret")) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      assertThat(session.createConsumer(session.createQueue("hub.delivery.court")).receive(100))
          .isNull();
    }
  }

  @Test
  void shouldRefuseAnAgencyAnotherAgencysQueue() throws Exception {
    try (Connection connection = connect("police-user", "police-secret")) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      assertThatThrownBy(() -> session.createConsumer(session.createQueue("hub.delivery.court")))
          .isInstanceOf(JMSSecurityException.class);
      assertThatThrownBy(
              () ->
                  session
                      .createBrowser(session.createQueue("hub.delivery.court"))
                      .getEnumeration()
                      .hasMoreElements())
          .isInstanceOf(JMSSecurityException.class);
    }
  }

  @Test
  void shouldRefuseAnAgencySendingToAnyQueue() {
    assertThatThrownBy(() -> send("police-user", "police-secret", "hub.delivery.police", "forged"))
        .isInstanceOf(JMSSecurityException.class);
    assertThatThrownBy(() -> send("police-user", "police-secret", "hub.delivery.court", "forged"))
        .isInstanceOf(JMSSecurityException.class);
  }

  @Test
  void shouldRefuseAWrongPasswordAndAnAnonymousConnection() {
    assertThatThrownBy(() -> connect("police-user", "court-secret").close())
        .isInstanceOf(JMSSecurityException.class);
    assertThatThrownBy(() -> connect(null, null).close()).isInstanceOf(JMSSecurityException.class);
  }

  @Test
  void shouldRefuseAUserGivenTwice() {
    assertThatThrownBy(
            () ->
                new AgencyQueueSecurity(
                    "hub-user", "x", List.of(new Account("police", "hub-user", "y"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("police");
  }

  @Test
  void shouldLeaveThePasswordOutOfAnAccountsText() {
    assertThat(new Account("police", "police-user", "police-secret").toString())
        .doesNotContain("police-secret");
  }

  private static Connection connect(String user, String password) throws JMSException {
    Connection connection = clients.createConnection(user, password);
    connection.start();
    return connection;
  }

  private static void send(String user, String password, String queue, String text)
      throws JMSException {
    try (Connection connection = connect(user, password)) {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      session.createProducer(session.createQueue(queue)).send(session.createTextMessage(text));
    }
  }
}
