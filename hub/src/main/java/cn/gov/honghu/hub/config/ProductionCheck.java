package cn.gov.honghu.hub.config;

import cn.gov.honghu.hub.config.HubProperties.AdminConfig;
import cn.gov.honghu.hub.config.HubProperties.AgencyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.core.env.Environment;

/**
 * What the {@code prod} profile refuses (HUB-SPEC section 11, "No weak defaults in production"): no
 * configured agencies or admins, placeholder secrets ({@code change-me...}, the example passwords
 * of docker-compose.yml and the shipped examples), generated development keys or the published
 * example keys, a missing party-hash key, PII key or audit signing key. Every problem names its
 * key; the value of a secret is never part of the message.
 */
public final class ProductionCheck {

  /** The example secrets shipped in this repository (compose defaults, examples, .env.example). */
  static final Set<String> EXAMPLE_SECRETS =
      Set.of("hub-dev-password", "demo-webhook-secret", "postgres", "password", "secret");

  private static final List<String> SPRING_SECRETS =
      List.of("spring.datasource.password", "spring.flyway.password", "spring.artemis.password");

  private ProductionCheck() {}

  /**
   * Throws {@link InvalidHubConfigurationException} listing every problem. {@code weakKeyHashes}:
   * hex SHA-256 of keys that are not secret (development keys generated in the data folder, the
   * examples' and tests' keys).
   */
  public static void check(HubProperties hub, Environment environment, Set<String> weakKeyHashes) {
    List<String> problems = new ArrayList<>();
    if (hub.agencies().isEmpty()) {
      problems.add(
          "hub.agencies: the prod profile refuses to start without configured agencies and keys");
    }
    if (hub.admins().isEmpty()) {
      problems.add("hub.admins: the prod profile needs at least one admin");
    }
    for (int i = 0; i < hub.agencies().size(); i++) {
      AgencyConfig agency = hub.agencies().get(i);
      String key = "hub.agencies[" + i + "]";
      checkKeyHashes(problems, key, agency.apiKeySha256(), weakKeyHashes);
      if (agency.delivery() != null) {
        checkSecret(problems, key + ".delivery.secret", agency.delivery().secret(), false);
        checkSecret(problems, key + ".delivery.password", agency.delivery().password(), false);
      }
    }
    for (int i = 0; i < hub.admins().size(); i++) {
      AdminConfig admin = hub.admins().get(i);
      checkKeyHashes(problems, "hub.admins[" + i + "]", admin.apiKeySha256(), weakKeyHashes);
    }
    checkSecret(problems, "hub.party-hash-key", hub.partyHashKey(), true);
    for (String key : SPRING_SECRETS) {
      checkSecret(problems, key, environment.getProperty(key), false);
    }
    checkPii(problems, hub.pii());
    checkSecret(problems, "hub.audit.signing-key", hub.audit().signingKey(), true);
    if (!problems.isEmpty()) {
      throw new InvalidHubConfigurationException(
          problems.stream().map(p -> p + " (prod profile)").toList());
    }
  }

  private static void checkPii(List<String> problems, HubProperties.Pii pii) {
    if (pii.keys().isEmpty()) {
      problems.add(
          "hub.pii.keys: required; the personal data must not be encrypted under a key"
              + " generated into the data folder");
      return;
    }
    for (Map.Entry<String, String> entry : pii.keys().entrySet()) {
      checkSecret(problems, "hub.pii.keys." + entry.getKey(), entry.getValue(), true);
    }
    if (pii.activeKey() == null || !pii.keys().containsKey(pii.activeKey())) {
      problems.add(
          "hub.pii.active-key: must name one of hub.pii.keys (" + pii.keys().keySet() + ")");
    }
  }

  private static void checkKeyHashes(
      List<String> problems, String key, List<String> hashes, Set<String> weakKeyHashes) {
    for (String hash : hashes) {
      if (weakKeyHashes.contains(hash.toLowerCase(Locale.ROOT))) {
        problems.add(
            key
                + ".api-key-sha256: a development or example key (generated dev keys, the"
                + " examples' or tests' keys); issue a new random key");
      }
    }
  }

  /** A blank value is refused only where {@code required}; a placeholder always. */
  private static void checkSecret(
      List<String> problems, String key, String value, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        problems.add(key + ": required");
      }
    } else if (isPlaceholder(value)) {
      problems.add(key + ": a placeholder or example value; set a real secret");
    }
  }

  static boolean isPlaceholder(String value) {
    String normal = value.strip().toLowerCase(Locale.ROOT);
    return normal.startsWith("change-me")
        || normal.startsWith("changeme")
        || normal.startsWith("change_me")
        || EXAMPLE_SECRETS.contains(normal);
  }
}
