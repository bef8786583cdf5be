package cn.gov.honghu.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.HubProcess;
import cn.gov.honghu.hub.support.Messages;
import cn.gov.honghu.hub.support.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two hub JVMs on one PostgreSQL database append to one audit chain (HUB-SPEC section 11): each
 * takes messages and hands out deliveries at the same time, and the chain verifies from either hub,
 * with every entry of both in one gap-free sequence. The instances share what a deployment's
 * instances share: the database, the keys, the party-hash and personal-data keys.
 */
class AuditChainTwoInstancesIT {

  private static final int PER_HUB = 60;

  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void twoInstancesAppendingAtOnceKeepOneValidChain() throws Exception {
    String url = TestPostgres.url();
    List<String> database =
        System.getenv("HUB_TEST_DB_URL") == null
            ? List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + TestPostgres.user())
            : List.of(); // HubProcess passes HUB_TEST_DB_URL itself
    try (HubProcess a = new HubProcess(dirA).withArgs(List.of(), database)) {
      a.start();
      // the personal-data key is configured for both (support/TestKeys, through HubProcess)
      for (String shared :
          List.of("dev-keys.properties", "dev-key-hashes.properties", "party-hash.key")) {
        Files.copy(dirA.resolve(shared), dirB.resolve(shared));
      }
      try (HubProcess b = new HubProcess(dirB).withArgs(List.of(), database)) {
        b.start();
        Properties keys = a.devKeys();
        HubClient hubA = new HubClient(a.baseUrl());
        HubClient hubB = new HubClient(b.baseUrl());
        long before = head(hubA, keys).get("seq").asLong();

        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> accepted = new ArrayList<>();
        try {
          for (HubClient hub : List.of(hubA, hubB)) {
            accepted.add(clients.submit(() -> post(hub, keys)));
            // the police pull and acknowledge on the hub the messages did not come in by
            accepted.add(clients.submit(() -> drain(hub == hubA ? hubB : hubA, keys)));
          }
          for (Future<Integer> result : accepted) {
            result.get();
          }
        } finally {
          clients.shutdownNow();
        }

        for (HubClient hub : List.of(hubA, hubB)) {
          Answer verify = hub.getWithKey(keys.getProperty("admin.ops"), "/admin/v1/audit/verify");
          assertThat(verify.status()).as(verify.text()).isEqualTo(200);
          assertThat(verify.get("ok").asBoolean()).as(verify.text()).isTrue();
          assertThat(verify.get("entries").asLong())
              .isEqualTo(verify.get("head").get("seq").asLong());
        }
        long after = head(hubA, keys).get("seq").asLong();
        // at least RECEIVED, ACCEPTED and two ROUTED per transfer of both hubs
        assertThat(after - before).isGreaterThanOrEqualTo(2L * PER_HUB * 4);
      }
    }
  }

  private static JsonNode head(HubClient hub, Properties keys) {
    Answer verify = hub.getWithKey(keys.getProperty("admin.ops"), "/admin/v1/audit/verify");
    assertThat(verify.status()).as(verify.text()).isEqualTo(200);
    return verify.get("head");
  }

  private static int post(HubClient hub, Properties keys) {
    int accepted = 0;
    for (int i = 0; i < PER_HUB; i++) {
      byte[] body =
          Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null)
              .toString()
              .getBytes(StandardCharsets.UTF_8);
      Answer answer =
          hub.postWithKey(
              keys.getProperty("agriculture"), "/api/v1/messages", "application/json", body);
      assertThat(answer.status()).as(answer.text()).isEqualTo(202);
      accepted++;
    }
    return accepted;
  }

  private static int drain(HubClient hub, Properties keys) {
    int acknowledged = 0;
    for (int round = 0; round < 40; round++) {
      Answer inbox = hub.getWithKey(keys.getProperty("police"), "/api/v1/inbox?limit=50");
      assertThat(inbox.status()).as(inbox.text()).isEqualTo(200);
      List<String> ids = new ArrayList<>();
      inbox.get("deliveries").forEach(d -> ids.add(d.get("deliveryId").asString()));
      if (!ids.isEmpty()) {
        String ack =
            HubClient.JSON
                .createObjectNode()
                .set("deliveryIds", HubClient.JSON.valueToTree(ids))
                .toString();
        Answer answer =
            hub.postWithKey(
                keys.getProperty("police"),
                "/api/v1/inbox/ack",
                "application/json",
                ack.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        acknowledged += ids.size();
      }
    }
    return acknowledged;
  }
}
