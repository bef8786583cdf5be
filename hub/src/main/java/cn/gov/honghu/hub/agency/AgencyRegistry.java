package cn.gov.honghu.hub.agency;

import java.security.MessageDigest;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agencies and admins this deployment knows, and the check of a bearer key against their stored
 * SHA-256 hashes.
 *
 * <p>Important: the comparison is constant-time over every registered hash (no early exit, no
 * hash-map lookup keyed by the secret), so response timing tells nothing about which bytes of a
 * guessed key were right.
 */
public final class AgencyRegistry {

  private final Map<String, Agency> agencies = new LinkedHashMap<>();
  private final List<KeyEntry> keys;

  /** A credential: its hash and who it belongs to. */
  public record KeyEntry(byte[] sha256, Caller caller) {}

  public AgencyRegistry(Collection<Agency> agencies, List<KeyEntry> keys) {
    agencies.forEach(a -> this.agencies.put(a.code(), a));
    this.keys = List.copyOf(keys);
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
    byte[] presented = ApiKeys.sha256(presentedKey);
    Caller match = null;
    for (KeyEntry entry : keys) {
      if (MessageDigest.isEqual(entry.sha256(), presented)) {
        match = entry.caller();
      }
    }
    return Optional.ofNullable(match);
  }
}
