package cn.gov.honghu.hub.validation;

/** Check digits of Chinese identity numbers. */
public final class CheckDigits {

  private static final int[] RESIDENT_ID_WEIGHTS = {
    7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
  };
  private static final String RESIDENT_ID_CHECK = "10X98765432";
  private static final String CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] CREDIT_CODE_WEIGHTS = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
  };

  private CheckDigits() {}

  /** GB 11643-1999: 17 digits and a mod 11-2 check character (0-9 or X). */
  public static boolean isValidResidentId(String id) {
    if (id == null || id.length() != 18) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      sum += (c - '0') * RESIDENT_ID_WEIGHTS[i];
    }
    return RESIDENT_ID_CHECK.charAt(sum % 11) == id.charAt(17);
  }

  /** GB 32100-2015 unified social credit code: 18 characters, mod 31 check character. */
  public static boolean isValidCreditCode(String code) {
    if (code == null || code.length() != 18) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      int value = CREDIT_CODE_CHARS.indexOf(code.charAt(i));
      if (value < 0) {
        return false;
      }
      sum += value * CREDIT_CODE_WEIGHTS[i];
    }
    int check = (31 - sum % 31) % 31;
    return CREDIT_CODE_CHARS.charAt(check) == code.charAt(17);
  }
}
