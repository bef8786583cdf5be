package cn.gov.honghu.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.agency.ApiKeys;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.Messages;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delivery mode jms (HUB-SPEC section 4) on the embedded broker's TCP acceptor: an agency consumes
 * its own queue with its own credentials, and the broker refuses it everything else. The hub itself
 * signs in with the internal user it generates at start.
 */
@ExtendWith(OutputCaptureExtension.class)
class JmsAgencySecurityTest {

  private static final String PROCURATORATE_PASSWORD = "procuratorate-broker-secret";
  private static final String COURT_PASSWORD = "court-broker-secret";

  @TempDir static Path dataDir;
  private static ConfigurableApplicationContext context;
  private static ActiveMQConnectionFactory agencies;

  @BeforeAll
  static void startHub() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String brokerUrl = "tcp://127.0.0.1:" + port;
    context = start(dataDir.resolve("hub"), true, "--hub.broker.acceptor-url=" + brokerUrl);
    agencies = new ActiveMQConnectionFactory(brokerUrl);
  }

  @AfterAll
  static void stopHub() {
    if (agencies != null) {
      agencies.close();
    }
    if (context != null) {
      context.close();
    }
  }

  @Test
  void shouldLetAJmsAgencyConsumeWhatTheHubRelayedToItsQueue() throws Exception {
    // given: a transfer routed to the procuratorate, which receives by jms
    HubClient hub = new HubClient(((WebServerApplicationContext) context).getWebServer().getPort());
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    assertThat(hub.post("agriculture", transfer).status()).isEqualTo(202);
    String messageId = transfer.get("messageId").asString();

    // when: the procuratorate consumes its queue over TCP with its own credentials
    TextMessage received = null;
    try (Connection connection = connect("procuratorate-broker", PROCURATORATE_PASSWORD)) {
      Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      MessageConsumer consumer =
          session.createConsumer(session.createQueue("hub.delivery.procuratorate"));
      for (Message message = consumer.receive(15_000);
          message != null;
          message = consumer.receive(15_000)) {
        message.acknowledge();
        if (messageId.equals(message.getStringProperty("messageId"))) {
          received = (TextMessage) message;
          break;
        }
      }
    }

    // then: the body is the delivery, as a pull inbox item, with the relay's properties
    assertThat(received).as("relayed delivery of %s", messageId).isNotNull();
    JsonNode body = HubClient.JSON.readTree(received.getText());
    assertThat(body.get("messageId").asString()).isEqualTo(messageId);
    assertThat(body.get("deliveryId").asString())
        .isEqualTo(received.getStringProperty("deliveryId"));
    assertThat(body.get("message").get("messageId").asString()).isEqualTo(messageId);
    assertThat(received.getStringProperty("type")).isEqualTo("CASE_TRANSFER");
    assertThat(received.getJMSPriority()).isEqualTo(4);
  }

  @Test
  void shouldRefuseAJmsAgencyAnotherAgencysQueue() throws Exception {
    try (Connection connection = connect("procuratorate-broker", PROCURATORATE_PASSWORD)) {
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
      // nor may it put a forged delivery into its own queue
      assertThatThrownBy(
              () ->
                  session
                      .createProducer(session.createQueue("hub.delivery.procuratorate"))
                      .send(session.createTextMessage("{}")))
          .isInstanceOf(JMSSecurityException.class);
    }
  }

  @Test
  void shouldRefuseAWrongPasswordAndAnAnonymousConnection() {
    assertThatThrownBy(() -> connect("procuratorate-broker", COURT_PASSWORD).close())
        .isInstanceOf(JMSSecurityException.class);
    assertThatThrownBy(() -> connect(null, null).close()).isInstanceOf(JMSSecurityException.class);
  }

  @Test
  void shouldKeepBrokerPasswordsOutOfTheLogs(CapturedOutput output) throws Exception {
    // given: a refused and an accepted sign-in, after the start that configured every account
    assertThatThrownBy(() -> connect("court-broker", PROCURATORATE_PASSWORD).close())
        .isInstanceOf(JMSSecurityException.class);
    connect("court-broker", COURT_PASSWORD).close();
    String internalPassword = context.getEnvironment().getProperty("spring.artemis.password");
    // then
    assertThat(internalPassword).isNotBlank();
    assertThat(output.getAll())
        .as("the capture holds the broker's start")
        .contains("AMQ221007: Server is now active")
        .doesNotContain(PROCURATORATE_PASSWORD, COURT_PASSWORD, internalPassword);
  }

  @Test
  void shouldNameTheKeyWhenAJmsAgencyHasNoBrokerUser() throws Exception {
    Throwable failure = null;
    try (ConfigurableApplicationContext started = start(dataDir.resolve("no-user"), false)) {
      // started: the test fails below
    } catch (Throwable refused) {
      failure = refused;
    }
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    assertThat(messages.toString()).contains("hub.agencies[1].delivery.user");
  }

  private static Connection connect(String user, String password) throws JMSException {
    Connection connection = agencies.createConnection(user, password);
    connection.start();
    return connection;
  }

  /**
   * The hub with a deployment whose procuratorate and court receive by jms; {@code withUsers} false
   * leaves the procuratorate without its broker user.
   */
  private static ConfigurableApplicationContext start(Path dir, boolean withUsers, String... extra)
      throws Exception {
    Files.createDirectories(dir);
    StringBuilder yaml = new StringBuilder("hub:\n  agencies:\n");
    for (String[] agency :
        new String[][] {
          {"police", "judicial", "pull"},
          {"procuratorate", "judicial", "jms"},
          {"court", "judicial", "jms"},
          {"justice", "administrative", "pull"},
          {"agriculture", "administrative", "pull"},
          // The rules file copies market on TRADE-1; a deployment must have every agency it names.
          {"market", "administrative", "pull"}
        }) {
      String code = agency[0];
      yaml.append("    - code: ").append(code).append('\n');
      yaml.append("      name: ").append(code).append('\n');
      yaml.append("      kind: ").append(agency[1]).append('\n');
      yaml.append("      api-key-sha256: ")
          .append(ApiKeys.sha256Hex(HubClient.key(code)))
          .append('\n');
      yaml.append("      delivery:\n        mode: ").append(agency[2]).append('\n');
      if ("jms".equals(agency[2])) {
        if (withUsers || !"procuratorate".equals(code)) {
          yaml.append("        user: ").append(code).append("-broker\n");
        }
        yaml.append("        password: ").append(code).append("-broker-secret\n");
      }
    }
    Path deployment = dir.resolve("deployment.yml");
    Files.writeString(deployment, yaml.toString());
    String[] args = new String[extra.length + 4];
    args[0] = "--server.port=0";
    args[1] = "--hub.data-dir=" + dir;
    // It replaces the test deployment's agency list: a list is never merged across files.
    args[2] = "--spring.config.additional-location=file:" + deployment;
    // Its own embedded database even in CI: the other test contexts still running share the CI
    // database, and their outbox relays would publish this hub's deliveries to their own brokers.
    args[3] = "--spring.datasource.url=";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return new SpringApplicationBuilder(HubApplication.class)
        .profiles("test")
        .web(withUsers ? WebApplicationType.SERVLET : WebApplicationType.NONE)
        .run(args);
  }
}
