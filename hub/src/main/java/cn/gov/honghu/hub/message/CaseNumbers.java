package cn.gov.honghu.hub.message;

import java.text.Normalizer;

/**
 * The comparison form of a case number (HUB-SPEC section 3): Unicode NFKC, trimmed, with the
 * bracket variants agencies type for the document-number brackets mapped to 〔 and 〕.
 */
public final class CaseNumbers {

  private CaseNumbers() {}

  public static String key(String caseNumber) {
    String normal = Normalizer.normalize(caseNumber, Normalizer.Form.NFKC).strip();
    StringBuilder key = new StringBuilder(normal.length());
    for (int i = 0; i < normal.length(); i++) {
      char c = normal.charAt(i);
      key.append(
          switch (c) {
            case '[', '［', '【' -> '〔';
            case ']', '］', '】' -> '〕';
            default -> c;
          });
    }
    return key.toString();
  }

  public static final int MAX_LENGTH = 64;

  /** The comparison form may be longer than the number (NFKC spells ㈱ as "(株)"), up to this. */
  public static final int MAX_KEY_LENGTH = 128;

  /**
   * Whether the raw value is a usable case number: 1-64 characters, none of / \ ; % ? # nor control
   * characters, with a comparison form of 1-128 characters (NFKC can expand a character many times,
   * or reduce spaces to nothing, and such a number must not open or join a case).
   */
  public static boolean isWellFormed(String caseNumber) {
    if (caseNumber == null || caseNumber.isEmpty() || caseNumber.length() > MAX_LENGTH) {
      return false;
    }
    String key = key(caseNumber);
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < caseNumber.length(); i++) {
      char c = caseNumber.charAt(i);
      if ("/\\;%?#".indexOf(c) >= 0 || Character.isISOControl(c)) {
        return false;
      }
    }
    return !caseNumber.isBlank();
  }
}
