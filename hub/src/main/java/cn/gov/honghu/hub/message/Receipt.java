package cn.gov.honghu.hub.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The receipt of HUB-SPEC section 3, stored with the message and returned on duplicates. {@code
 * factSources} (absent when empty) says which facts the hub supplied itself: the ban calendar, or
 * penalties from its own party history.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Receipt(
    String messageId,
    String receiptId,
    String status,
    List<String> recipients,
    List<String> ruleIds,
    List<String> clauses,
    List<String> flags,
    Map<String, String> factSources,
    String duplicateOf) {

  /** A receipt without fact sources (no fact came from the hub). */
  public Receipt(
      String messageId,
      String receiptId,
      String status,
      List<String> recipients,
      List<String> ruleIds,
      List<String> clauses,
      List<String> flags,
      String duplicateOf) {
    this(messageId, receiptId, status, recipients, ruleIds, clauses, flags, null, duplicateOf);
  }

  public static final String ACCEPTED = "ACCEPTED";
  public static final String DUPLICATE = "DUPLICATE";

  public Receipt asDuplicateOf(String originalMessageId) {
    return new Receipt(
        messageId,
        receiptId,
        DUPLICATE,
        recipients,
        ruleIds,
        clauses,
        flags,
        factSources,
        originalMessageId);
  }
}
