package cn.gov.honghu.hub.support;

import cn.gov.honghu.hub.rules.RulesFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The shipped rules file as text, for tests that break one entry of it. */
public final class ShippedRules {

  private ShippedRules() {}

  public static String text() {
    try (InputStream in =
        ShippedRules.class.getClassLoader().getResourceAsStream(RulesFile.SHIPPED)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
