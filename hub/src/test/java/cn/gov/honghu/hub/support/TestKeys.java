package cn.gov.honghu.hub.support;

import java.util.List;

/**
 * Keys every hub of a test run shares, as a deployment's instances do: on PostgreSQL the shared
 * test context, the contexts of their own and the packaged hubs of the integration tests all use
 * one database, so an envelope one of them sealed must open in the others.
 */
public final class TestKeys {

  /** The personal-data key (AES-256, base64), also in application-test.yml. */
  public static final String PII_KEY = "kWG8IL7xZtX9bTIjCVX7X/lDl5TPcpm48L3b61ykVBE=";

  private TestKeys() {}

  /** The hub arguments that configure it. */
  public static List<String> piiArguments() {
    return List.of("--hub.pii.keys.test=" + PII_KEY, "--hub.pii.active-key=test");
  }
}
