package cn.gov.honghu.hub.admin;

import cn.gov.honghu.hub.web.ProblemException;

/**
 * Why an admin changes something (HUB-SPEC sections 9 and 11): replay, discard and rejection
 * require a JSON {@code reason}, kept with the action in the audit.
 */
final class Reasons {

  static final int MAX_LENGTH = 1000;

  /** The body of a replay, a discard or a rejection. */
  record ReasonBody(String reason) {}

  private Reasons() {}

  /** The reason, stripped; 400 when it is missing, blank or too long. */
  static String required(String reason, String action) {
    if (reason == null || reason.isBlank()) {
      throw ProblemException.badRequest(
              action + " needs a reason: a JSON body {\"reason\": \"...\"}")
          .with("pointer", "/reason");
    }
    String stripped = reason.strip();
    if (stripped.length() > MAX_LENGTH) {
      throw ProblemException.badRequest("the reason is longer than " + MAX_LENGTH + " characters")
          .with("pointer", "/reason");
    }
    return stripped;
  }
}
