package cn.gov.honghu.hub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.ObjectNode;

@ApplicationTest
class IngestSmokeTest {

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldDeliverACaseTransferToPoliceAndProcuratorateWhenAccepted() {
    // given
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    // when
    Answer answer = hub.post("agriculture", transfer);
    // then
    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.get("status").asString()).isEqualTo("ACCEPTED");
    assertThat(answer.get("recipients").toString()).contains("police", "procuratorate");
  }
}
