package cn.gov.honghu.connectors.webhook;

/**
 * What an attempt's answer means for the delivery (HUB-SPEC section 4): 2xx delivered; 408, 429,
 * 5xx, a timeout or a refused connection retried; any other answer refused at once (the receiver
 * said no, and asking again would not change that).
 */
public enum WebhookOutcome {
  DELIVERED,
  RETRY,
  REFUSED;

  public static WebhookOutcome ofStatus(int status) {
    if (status >= 200 && status < 300) {
      return DELIVERED;
    }
    if (status == 408 || status == 429 || status >= 500) {
      return RETRY;
    }
    return REFUSED;
  }
}
