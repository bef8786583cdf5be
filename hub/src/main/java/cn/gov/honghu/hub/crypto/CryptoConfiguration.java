package cn.gov.honghu.hub.crypto;

import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.CryptoProfile;
import cn.gov.honghu.hub.config.OwnerOnlyFiles;
import cn.gov.honghu.hub.crypto.EnvelopeCipher.Algorithm;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The personal-data keys (HUB-SPEC section 11): {@code hub.pii.keys} and {@code
 * hub.pii.active-key}, or, in the embedded default, one key generated into the data folder. A bad
 * key stops the hub at start, naming it; a key's value never reaches a message.
 */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CryptoConfiguration.class);
  static final String GENERATED_KEY_ID = "local-1";

  @Bean
  EnvelopeCipher envelopeCipher(HubProperties hub) throws IOException {
    Algorithm algorithm =
        hub.crypto().profile() == CryptoProfile.SM ? Algorithm.SM4_GCM : Algorithm.AES_GCM;
    Map<String, String> configured = hub.pii().keys();
    if (configured.isEmpty()) {
      return generated(algorithm, hub.dataDir());
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    configured.forEach((id, value) -> keys.put(id, decode(id, value)));
    String active = hub.pii().activeKey();
    if (active == null || active.isBlank()) {
      if (keys.size() != 1) {
        throw new IllegalStateException(
            "hub.pii.active-key: required when hub.pii.keys holds more than one key");
      }
      active = keys.keySet().iterator().next();
    }
    if (!keys.containsKey(active)) {
      throw new IllegalStateException(
          "hub.pii.active-key: no key with id " + active + " in hub.pii.keys");
    }
    if (keys.get(active).length != algorithm.keyBytes()) {
      throw new IllegalStateException(
          "hub.pii.keys."
              + active
              + ": the active key must be "
              + algorithm.keyBytes()
              + " bytes for hub.crypto.profile "
              + hub.crypto().profile().name().toLowerCase(java.util.Locale.ROOT));
    }
    return new EnvelopeCipher(algorithm, keys, active);
  }

  private static byte[] decode(String id, String value) {
    if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
      throw new IllegalStateException(
          "hub.pii.keys." + id + ": a key id is 1-32 letters, digits, '-' or '_'");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(value == null ? "" : value.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("hub.pii.keys." + id + ": not base64");
    }
    if (key.length != 16 && key.length != 32) {
      throw new IllegalStateException(
          "hub.pii.keys." + id + ": 32 bytes (AES-256) or 16 bytes (SM4), base64");
    }
    return key;
  }

  /** The embedded default: one key in the data folder, owner-only, never replaced. */
  private static EnvelopeCipher generated(Algorithm algorithm, Path dataDir) throws IOException {
    Path file = dataDir.resolve("pii-" + algorithm.label + ".key");
    boolean fresh = !java.nio.file.Files.exists(file);
    String content =
        OwnerOnlyFiles.readOrCreate(
            file,
            () -> {
              byte[] key = new byte[algorithm.keyBytes()];
              new SecureRandom().nextBytes(key);
              return Base64.getEncoder().encodeToString(key);
            });
    if (fresh) {
      log.warn(
          "hub.pii.keys is not set: generated a personal-data key in {}; back it up with the"
              + " database, which cannot be read without it",
          file);
    }
    return new EnvelopeCipher(
        algorithm, Map.of(GENERATED_KEY_ID, decode(GENERATED_KEY_ID, content)), GENERATED_KEY_ID);
  }
}
