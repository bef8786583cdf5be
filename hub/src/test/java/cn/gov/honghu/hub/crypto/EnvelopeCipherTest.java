package cn.gov.honghu.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.crypto.EnvelopeCipher.Algorithm;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sealing envelopes (HUB-SPEC section 11): both ciphers, the message binding, key rotation. */
class EnvelopeCipherTest {

  private static final String ENVELOPE =
      "{\"messageId\":\"m-1\",\"payload\":{\"parties\":[{\"name\":\"张测试\","
          + "\"idNumber\":\"421083198001010013\",\"phone\":\"13812345678\"}]}}";

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aSealedEnvelopeHidesItsContentAndOpensToTheExactBytes(Algorithm algorithm) {
    EnvelopeCipher cipher = cipher(algorithm, Map.of("k1", key(algorithm)), "k1");
    String sealed = cipher.seal("m-1", ENVELOPE);
    assertThat(sealed).startsWith("enc:" + (algorithm == Algorithm.AES_GCM ? "aes" : "sm4"));
    assertThat(sealed).doesNotContain("421083198001010013", "13812345678", "张测试", "parties");
    assertThat(EnvelopeCipher.isSealed(sealed)).isTrue();
    assertThat(cipher.open("m-1", sealed)).isEqualTo(ENVELOPE);
    // a fresh nonce each time
    assertThat(cipher.seal("m-1", ENVELOPE)).isNotEqualTo(sealed);
  }

  @Test
  void anEnvelopeCopiedOntoAnotherMessageOrChangedDoesNotOpen() {
    EnvelopeCipher cipher = cipher(Algorithm.AES_GCM, Map.of("k1", key(Algorithm.AES_GCM)), "k1");
    String sealed = cipher.seal("m-1", ENVELOPE);
    assertThatThrownBy(() -> cipher.open("m-2", sealed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("m-2")
        .hasMessageNotContaining("421083198001010013");
    char last = sealed.charAt(sealed.length() - 3);
    String changed =
        sealed.substring(0, sealed.length() - 3)
            + (last == 'A' ? 'B' : 'A')
            + sealed.substring(sealed.length() - 2);
    assertThatThrownBy(() -> cipher.open("m-1", changed)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void afterARotationOldEnvelopesStillOpenAndNewOnesUseTheNewKey() {
    byte[] old = key(Algorithm.AES_GCM);
    byte[] current = key(Algorithm.AES_GCM);
    String underOld = cipher(Algorithm.AES_GCM, Map.of("2025", old), "2025").seal("m-1", ENVELOPE);
    EnvelopeCipher rotated =
        cipher(Algorithm.AES_GCM, Map.of("2025", old, "2026", current), "2026");
    assertThat(rotated.open("m-1", underOld)).isEqualTo(ENVELOPE);
    String underNew = rotated.seal("m-2", ENVELOPE);
    assertThat(underNew).startsWith("enc:aes-gcm:2026:");
    // the old key alone cannot open what the new one sealed, and says which key is missing
    assertThatThrownBy(
            () -> cipher(Algorithm.AES_GCM, Map.of("2025", old), "2025").open("m-2", underNew))
        .hasMessageContaining("key id 2026");
  }

  @Test
  void anEnvelopeStoredBeforeEncryptionReadsAsItIs() {
    EnvelopeCipher cipher = cipher(Algorithm.AES_GCM, Map.of("k1", key(Algorithm.AES_GCM)), "k1");
    assertThat(cipher.open("m-1", ENVELOPE)).isEqualTo(ENVELOPE);
    assertThat(EnvelopeCipher.isSealed(ENVELOPE)).isFalse();
  }

  @Test
  void anActiveKeyThatIsNotConfiguredIsRefused() {
    assertThatThrownBy(() -> cipher(Algorithm.AES_GCM, Map.of("k1", key(Algorithm.AES_GCM)), "k2"))
        .hasMessageContaining("hub.pii.active-key");
  }

  private static EnvelopeCipher cipher(
      Algorithm algorithm, Map<String, byte[]> keys, String active) {
    return new EnvelopeCipher(algorithm, keys, active);
  }

  private static byte[] key(Algorithm algorithm) {
    byte[] key = new byte[algorithm.keyBytes()];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
