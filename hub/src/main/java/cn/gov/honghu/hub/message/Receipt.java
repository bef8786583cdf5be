package cn.gov.honghu.hub.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The receipt of HUB-SPEC section 3, stored with the message and returned on duplicates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Receipt(
    String messageId,
    String receiptId,
    String status,
    List<String> recipients,
    List<String> ruleIds,
    List<String> clauses,
    List<String> flags,
    String duplicateOf) {

  public static final String ACCEPTED = "ACCEPTED";
  public static final String DUPLICATE = "DUPLICATE";

  public Receipt asDuplicateOf(String originalMessageId) {
    return new Receipt(
        messageId, receiptId, DUPLICATE, recipients, ruleIds, clauses, flags, originalMessageId);
  }
}
