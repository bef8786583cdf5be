package cn.gov.honghu.hub.routing;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.ObjectNode;

/**
 * Who may send what (HUB-SPEC section 5, second column): every message type from every agency of
 * the test deployment, the configured tenth agency {@code forestry} included. The expected senders
 * are written out from the spec, not read from the rules file.
 */
@ApplicationTest
class SenderMatrixTest {

  private static final Set<String> ADMINISTRATIVE =
      Set.of(
          "justice",
          "environment",
          "agriculture",
          "natural-resources",
          "water",
          "market",
          "forestry");
  private static final Set<String> JUDICIAL = Set.of("police", "procuratorate", "court");
  private static final Set<String> EVERY_MEMBER =
      Set.of(
          "police",
          "procuratorate",
          "court",
          "justice",
          "environment",
          "agriculture",
          "natural-resources",
          "water",
          "market",
          "forestry");
  private static final Set<String> NOBODY = Set.of();

  private static final Map<MessageType, Set<String>> MAY_SEND =
      Map.ofEntries(
          entry(MessageType.CASE_TRANSFER, ADMINISTRATIVE),
          entry(MessageType.ADMIN_PENALTY_DECISION, ADMINISTRATIVE),
          entry(MessageType.FILING_DECISION, Set.of("police")),
          entry(MessageType.RECONSIDERATION_REQUEST, ADMINISTRATIVE),
          entry(MessageType.RECONSIDERATION_DECISION, Set.of("police")),
          entry(MessageType.SUPERVISION_NOTICE, Set.of("procuratorate")),
          entry(MessageType.INDICTMENT, Set.of("procuratorate")),
          entry(MessageType.JUDGMENT, Set.of("court")),
          entry(MessageType.REVERSE_TRANSFER, JUDICIAL),
          entry(MessageType.PROCURATORIAL_SUGGESTION, Set.of("procuratorate")),
          entry(MessageType.SUGGESTION_REPLY, ADMINISTRATIVE),
          entry(MessageType.ENFORCEMENT_SUPERVISION_NOTICE, Set.of("justice")),
          entry(MessageType.RECTIFICATION_REPLY, ADMINISTRATIVE),
          entry(MessageType.REVERSE_TRANSFER_RESULT, ADMINISTRATIVE),
          entry(MessageType.EVIDENCE_HANDOVER, ADMINISTRATIVE),
          // any agency may send one; retracting another agency's message is refused by T16
          entry(MessageType.RETRACTION, EVERY_MEMBER),
          entry(MessageType.FISHING_BAN_ALERT, EVERY_MEMBER),
          entry(MessageType.ALERT_ACK, EVERY_MEMBER),
          entry(MessageType.TRANSFER_OMISSION_ALERT, NOBODY),
          entry(MessageType.DEADLINE_OVERDUE, NOBODY),
          entry(MessageType.ALERT_ESCALATION, NOBODY));

  /**
   * The case rule (HUB-SPEC section 5) that the first message of a new case breaks when its type
   * answers an earlier message that does not exist; the types missing here open a case (202).
   */
  private static final Map<MessageType, String> BROKEN_ON_A_NEW_CASE =
      Map.ofEntries(
          entry(MessageType.FILING_DECISION, "T3"),
          entry(MessageType.RECONSIDERATION_REQUEST, "T4"),
          entry(MessageType.RECONSIDERATION_DECISION, "T5"),
          entry(MessageType.SUGGESTION_REPLY, "T11"),
          entry(MessageType.RECTIFICATION_REPLY, "T13"),
          entry(MessageType.REVERSE_TRANSFER_RESULT, "T14"),
          entry(MessageType.RETRACTION, "T16"),
          entry(MessageType.ALERT_ACK, "A2"));

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  static Stream<Arguments> typesAndAgencies() {
    List<String> agencies = EVERY_MEMBER.stream().sorted().toList();
    return Arrays.stream(MessageType.values())
        .flatMap(type -> agencies.stream().map(agency -> Arguments.of(type, agency)));
  }

  @Test
  void shouldNameTheSendersOfEveryTypeWhenTheMatrixIsWrittenFromTheSpec() {
    // given
    Set<MessageType> types = Set.of(MessageType.values());

    // when
    Set<MessageType> covered = MAY_SEND.keySet();

    // then
    assertThat(covered).isEqualTo(types);
  }

  @ParameterizedTest(name = "{0} from {1}")
  @MethodSource("typesAndAgencies")
  void shouldRefuseWithForbiddenExactlyWhenTheAgencyMayNotSendTheType(
      MessageType type, String agency) {
    // given
    String addressee = agency.equals("agriculture") ? "environment" : "agriculture";
    ObjectNode message = Messages.of(type.name(), agency, Messages.newCaseNumber(), addressee);

    // when
    Answer answer = hub.post(agency, message);

    // then
    if (MAY_SEND.get(type).contains(agency)) {
      String rule = BROKEN_ON_A_NEW_CASE.get(type);
      if (rule == null) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.get("status").asString()).isEqualTo("ACCEPTED");
        assertThat(answer.get("messageId").asString())
            .isEqualTo(message.get("messageId").asString());
      } else {
        // allowed to send, so past the 403 checks; refused by the case rule the message breaks
        assertThat(answer.status()).as(answer.text()).isEqualTo(422);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.get("type").asString()).isEqualTo("urn:hub:problem:case-rule");
        assertThat(answer.get("rule").asString()).as(answer.text()).isEqualTo(rule);
      }
    } else {
      assertThat(answer.status()).as(answer.text()).isEqualTo(403);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.get("type").asString()).isEqualTo("urn:hub:problem:forbidden");
      assertThat(answer.get("status").asInt()).isEqualTo(403);
      assertThat(answer.get("detail").asString())
          .as(answer.text())
          .containsAnyOf(
              "agency " + agency + " may not send " + type, type + " is generated by the hub");
    }
  }
}
