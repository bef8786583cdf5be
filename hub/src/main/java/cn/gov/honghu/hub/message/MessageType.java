package cn.gov.honghu.hub.message;

import java.util.Optional;

/** The message types of the contract (HUB-SPEC section 5). */
public enum MessageType {
  CASE_TRANSFER,
  ADMIN_PENALTY_DECISION,
  FILING_DECISION,
  RECONSIDERATION_REQUEST,
  RECONSIDERATION_DECISION,
  SUPERVISION_NOTICE,
  INDICTMENT,
  JUDGMENT,
  REVERSE_TRANSFER,
  PROCURATORIAL_SUGGESTION,
  SUGGESTION_REPLY,
  ENFORCEMENT_SUPERVISION_NOTICE,
  RECTIFICATION_REPLY,
  REVERSE_TRANSFER_RESULT,
  EVIDENCE_HANDOVER,
  RETRACTION,
  FISHING_BAN_ALERT,
  ALERT_ACK,
  TRANSFER_OMISSION_ALERT,
  DEADLINE_OVERDUE,
  ALERT_ESCALATION;

  /** Alerts carry no caseNumber. */
  public boolean isAlertType() {
    return this == FISHING_BAN_ALERT || this == ALERT_ACK || this == ALERT_ESCALATION;
  }

  /** Priority types overtake case messages in every queue (HUB-SPEC section 4). */
  public boolean isPriority() {
    return this == FISHING_BAN_ALERT || this == ALERT_ESCALATION;
  }

  /** Only the hub itself sends these; an agency that tries gets a 403. */
  public boolean isHubGenerated() {
    return this == TRANSFER_OMISSION_ALERT || this == DEADLINE_OVERDUE || this == ALERT_ESCALATION;
  }

  /** Types whose payload names an addressee agency, which routing sends it to. */
  public boolean hasAddressee() {
    return this == SUPERVISION_NOTICE
        || this == PROCURATORIAL_SUGGESTION
        || this == ENFORCEMENT_SUPERVISION_NOTICE
        || this == REVERSE_TRANSFER;
  }

  /** Types whose payload carries a {@code decision} that later case rules read. */
  public boolean hasDecision() {
    return this == FILING_DECISION || this == RECONSIDERATION_DECISION;
  }

  public static Optional<MessageType> parse(String name) {
    try {
      return Optional.of(valueOf(name));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
