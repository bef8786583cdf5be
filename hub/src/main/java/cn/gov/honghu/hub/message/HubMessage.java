package cn.gov.honghu.hub.message;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message the hub itself sends (sender {@code hub}): an omission alert, an overdue notice, an
 * escalation. {@code cause} is the id of what caused it (the decision, the deadline); the hub sends
 * one message per type and cause, so a retried cause cannot send it twice.
 */
public record HubMessage(
    MessageType type,
    String caseKey,
    String caseNumber,
    ObjectNode payload,
    List<String> recipients,
    List<String> ruleIds,
    List<String> clauses,
    String cause) {}
