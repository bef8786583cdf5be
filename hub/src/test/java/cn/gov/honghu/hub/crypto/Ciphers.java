package cn.gov.honghu.hub.crypto;

import cn.gov.honghu.hub.crypto.EnvelopeCipher.Algorithm;
import java.security.SecureRandom;
import java.util.Map;

/** Envelope ciphers for tests that wire the hub's parts by hand. */
public final class Ciphers {

  private Ciphers() {}

  /** AES-256-GCM under one random key, id {@code test}. */
  public static EnvelopeCipher forTests() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new EnvelopeCipher(Algorithm.AES_GCM, Map.of("test", key), "test");
  }
}
