package cn.gov.honghu.hub.cases;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the hub knows of one case when a new message of it arrives: who opened it, its parties and
 * its accepted messages in acceptance order. Routing and the case rules read it.
 */
public record CaseView(
    String caseKey, String openedBy, Set<String> parties, List<CaseMessage> messages) {

  /** One accepted message of the case. */
  public record CaseMessage(
      String messageId,
      String type,
      String sender,
      String addressee,
      String decision,
      List<String> recipients,
      boolean retracted) {}

  public static CaseView none(String caseKey) {
    return new CaseView(caseKey, null, Set.of(), List.of());
  }

  public boolean exists() {
    return openedBy != null;
  }

  /** The latest message that is not retracted and matches. */
  public Optional<CaseMessage> latest(Predicate<CaseMessage> matching) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      CaseMessage message = messages.get(i);
      if (!message.retracted() && matching.test(message)) {
        return Optional.of(message);
      }
    }
    return Optional.empty();
  }

  public Optional<CaseMessage> latestOfType(String type) {
    return latest(m -> m.type().equals(type));
  }

  /**
   * The transferring agency (HUB-SPEC section 5): the sender of the case's CASE_TRANSFER, or, for a
   * case that reached the police through a copy of a penalty decision, its issuer.
   */
  public Optional<String> transferringAgency() {
    return latestOfType("CASE_TRANSFER")
        .or(
            () ->
                latest(
                    m ->
                        m.type().equals("ADMIN_PENALTY_DECISION")
                            && m.recipients().contains("police")))
        .map(CaseMessage::sender);
  }

  /** Whether the police received the case: a transfer, or a penalty decision copied to them. */
  public boolean policeReceived() {
    return latest(
            m ->
                (m.type().equals("CASE_TRANSFER") || m.type().equals("ADMIN_PENALTY_DECISION"))
                    && m.recipients().contains("police"))
        .isPresent();
  }

  public Optional<CaseMessage> find(String messageId) {
    return messages.stream().filter(m -> m.messageId().equals(messageId)).findFirst();
  }
}
