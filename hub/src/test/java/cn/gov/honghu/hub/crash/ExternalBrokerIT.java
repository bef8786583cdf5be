package cn.gov.honghu.hub.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.HubProcess;
import cn.gov.honghu.hub.support.Messages;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A hub configured for an external broker (mode native, embedded server off) works against a broker
 * in another process, and answers 503 when that broker goes away. The external broker here is a
 * second packaged hub's embedded Artemis with a TCP acceptor: a real broker over TCP, secured, so
 * the hub signs in with spring.artemis.user like against any external broker.
 */
class ExternalBrokerIT {

  @TempDir Path brokerDir;
  @TempDir Path hubDir;

  @Test
  void shouldAcceptAgainstAnExternalBrokerAndAnswer503WhenItGoesAway() throws Exception {
    int brokerPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      brokerPort = socket.getLocalPort();
    }
    String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
    // The broker is secured: both hubs sign in as the same broker user.
    List<String> brokerUser =
        List.of("--spring.artemis.user=hub", "--spring.artemis.password=external-broker-secret");
    List<String> brokerArgs = new ArrayList<>(brokerUser);
    brokerArgs.add("--hub.broker.acceptor-url=" + brokerUrl);
    List<String> hubArgs = new ArrayList<>(brokerUser);
    hubArgs.addAll(
        List.of(
            "--spring.artemis.mode=native",
            "--spring.artemis.embedded.enabled=false",
            "--spring.artemis.broker-url=" + brokerUrl,
            "--hub.broker.availability-check-interval=PT0.2S"));
    try (HubProcess broker = new HubProcess(brokerDir).withArgs(List.of(), brokerArgs);
        HubProcess hub = new HubProcess(hubDir).withArgs(List.of(), hubArgs)) {
      broker.start();
      hub.start();
      HubClient client = new HubClient(hub.baseUrl());
      String key = hub.devKeys().getProperty("agriculture");

      // given: the hub runs against the external broker, without a broker of its own
      assertThat(client.getWithKey(null, "/actuator/health").text())
          .contains("\"jms\":{\"status\":\"UP\"}");
      assertThat(post(client, key).status()).isEqualTo(202);

      // when: the external broker goes away
      broker.kill();

      // then: ingest refuses with 503 instead of storing work it cannot hand on
      await().atMost(Duration.ofSeconds(30)).until(() -> post(client, key).status() == 503);
    }
  }

  private static Answer post(HubClient client, String key) {
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    return client.postWithKey(
        key,
        "/api/v1/messages",
        "application/json",
        HubClient.JSON.writeValueAsString(transfer).getBytes(StandardCharsets.UTF_8));
  }
}
