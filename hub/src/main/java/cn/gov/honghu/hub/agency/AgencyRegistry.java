package cn.gov.honghu.hub.agency;

import java.security.MessageDigest;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agencies and admins this deployment knows, and the check of a bearer key against their stored
 * SHA-256 hashes (up to two per caller, for rotation), or of a client certificate's SHA-256 against
 * the agencies' {@code client-certificate-sha256}.
 *
 * <p>Important: the comparison is constant-time over every registered hash (no early exit, no
 * hash-map lookup keyed by the secret), so response timing tells nothing about which bytes of a
 * guessed key were right.
 */
public final class AgencyRegistry {

  private final Map<String, Agency> agencies = new LinkedHashMap<>();
  private final List<KeyEntry> keys;
  private final List<KeyEntry> certificates;

  /** A credential: its hash and who it belongs to. */
  public record KeyEntry(byte[] sha256, Caller caller) {}

  public AgencyRegistry(Collection<Agency> agencies, List<KeyEntry> keys) {
    this(agencies, keys, List.of());
  }

  /** {@code certificates}: SHA-256 of a client certificate's DER encoding, and its agency. */
  public AgencyRegistry(
      Collection<Agency> agencies, List<KeyEntry> keys, List<KeyEntry> certificates) {
    agencies.forEach(a -> this.agencies.put(a.code(), a));
    this.keys = List.copyOf(keys);
    this.certificates = List.copyOf(certificates);
  }

  public Optional<Agency> find(String code) {
    return Optional.ofNullable(agencies.get(code));
  }

  public Collection<Agency> all() {
    return agencies.values();
  }

  /** The caller whose key hashes to the presented key's hash, if any. */
  public Optional<Caller> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    return match(keys, ApiKeys.sha256(presentedKey));
  }

  /**
   * The agency a client certificate belongs to, by the SHA-256 of its DER encoding. The TLS
   * handshake already proved the client holds the certificate's private key; whether it is trusted
   * and still valid is checked by the caller.
   */
  public Optional<Caller> authenticateCertificate(byte[] certificateSha256) {
    return match(certificates, certificateSha256);
  }

  private static Optional<Caller> match(List<KeyEntry> entries, byte[] presented) {
    Caller match = null;
    for (KeyEntry entry : entries) {
      if (MessageDigest.isEqual(entry.sha256(), presented)) {
        match = entry.caller();
      }
    }
    return Optional.ofNullable(match);
  }
}
