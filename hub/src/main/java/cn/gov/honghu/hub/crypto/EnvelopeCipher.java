package cn.gov.honghu.hub.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Personal data at rest (HUB-SPEC section 11): every stored envelope is sealed with AES-256-GCM
 * (SM4-GCM under {@code hub.crypto.profile: sm}) under the active key, and opened again only on the
 * way to a party of the case or an admin.
 *
 * <p>The whole envelope is sealed, not only the party fields: the recipients get the sender's bytes
 * exactly as posted, and free text (facts, a verdict) that names people is protected too. A sealed
 * value reads {@code enc:<algorithm>:<keyId>:<base64 of nonce, ciphertext and tag>}; the message id
 * is the associated data, so an envelope copied onto another message's row does not open. Rotation:
 * a new {@code hub.pii.active-key} seals from then on, and every key id still configured keeps
 * opening what it sealed, so nothing is re-encrypted at once. A value without the prefix (stored
 * before encryption was introduced) is returned as it is.
 */
public final class EnvelopeCipher {

  /** A cipher the hub can seal with; the name is part of every sealed value. */
  public enum Algorithm {
    AES_GCM("aes-gcm", "AES", 32),
    SM4_GCM("sm4-gcm", "SM4", 16);

    final String label;
    final String keyAlgorithm;
    final int keyBytes;

    Algorithm(String label, String keyAlgorithm, int keyBytes) {
      this.label = label;
      this.keyAlgorithm = keyAlgorithm;
      this.keyBytes = keyBytes;
    }

    public int keyBytes() {
      return keyBytes;
    }

    static Algorithm ofLabel(String label) {
      for (Algorithm algorithm : values()) {
        if (algorithm.label.equals(label)) {
          return algorithm;
        }
      }
      throw new IllegalStateException("a sealed envelope names an unknown cipher: " + label);
    }
  }

  static final String PREFIX = "enc:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Algorithm algorithm;
  private final Map<String, byte[]> keys;
  private final String activeKey;
  private final SecureRandom random = new SecureRandom();

  /**
   * {@code keys} by key id (each the algorithm's key length); {@code activeKey} seals. The
   * configuration ({@code PersonalDataKeys}) has checked both.
   */
  public EnvelopeCipher(Algorithm algorithm, Map<String, byte[]> keys, String activeKey) {
    this.algorithm = algorithm;
    this.keys = Map.copyOf(keys);
    this.activeKey = activeKey;
    if (!this.keys.containsKey(activeKey)) {
      throw new IllegalArgumentException("hub.pii.active-key: no key with id " + activeKey);
    }
  }

  public String activeKey() {
    return activeKey;
  }

  public String seal(String messageId, String envelope) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed =
        run(
            Cipher.ENCRYPT_MODE,
            algorithm,
            keys.get(activeKey),
            nonce,
            messageId,
            envelope.getBytes(StandardCharsets.UTF_8));
    ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
    return PREFIX
        + algorithm.label
        + ":"
        + activeKey
        + ":"
        + Base64.getEncoder().encodeToString(out.array());
  }

  /** The envelope as sealed for {@code messageId}; an unsealed value as it is. */
  public String open(String messageId, String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      return stored;
    }
    int algorithmEnd = stored.indexOf(':', PREFIX.length());
    int keyEnd = stored.indexOf(':', algorithmEnd + 1);
    if (algorithmEnd < 0 || keyEnd < 0) {
      throw new IllegalStateException("the sealed envelope of " + messageId + " is malformed");
    }
    Algorithm sealedWith = Algorithm.ofLabel(stored.substring(PREFIX.length(), algorithmEnd));
    String keyId = stored.substring(algorithmEnd + 1, keyEnd);
    byte[] key = keys.get(keyId);
    if (key == null) {
      throw new IllegalStateException(
          "the envelope of "
              + messageId
              + " is sealed under key id "
              + keyId
              + ", which hub.pii.keys no longer holds");
    }
    byte[] bytes = Base64.getDecoder().decode(stored.substring(keyEnd + 1));
    byte[] nonce = new byte[NONCE_BYTES];
    System.arraycopy(bytes, 0, nonce, 0, NONCE_BYTES);
    byte[] sealed = new byte[bytes.length - NONCE_BYTES];
    System.arraycopy(bytes, NONCE_BYTES, sealed, 0, sealed.length);
    return new String(
        run(Cipher.DECRYPT_MODE, sealedWith, key, nonce, messageId, sealed),
        StandardCharsets.UTF_8);
  }

  public static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  private static byte[] run(
      int mode, Algorithm algorithm, byte[] key, byte[] nonce, String messageId, byte[] input) {
    try {
      Cipher cipher =
          algorithm == Algorithm.AES_GCM
              ? Cipher.getInstance("AES/GCM/NoPadding")
              : Cipher.getInstance("SM4/GCM/NoPadding", BouncyCastle.PROVIDER);
      cipher.init(
          mode,
          new SecretKeySpec(key, algorithm.keyAlgorithm),
          new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(messageId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      // a wrong key or a changed byte: never echo the value
      throw new IllegalStateException(
          "the envelope of " + messageId + " does not open: " + e.getClass().getSimpleName());
    }
  }
}
