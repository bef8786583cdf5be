package cn.gov.honghu.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.HubApplication;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/**
 * The prod profile refuses weak defaults (HUB-SPEC section 11): placeholder secrets, the example
 * passwords, development and example keys, a missing PII or audit signing key; each refusal names
 * its key and never shows the secret.
 */
class ProductionCheckTest {

  private static final String GOOD_HASH = "a".repeat(64);
  private static final String WEAK_HASH = "b".repeat(64);

  @TempDir Path dataDir;

  /** A production configuration with nothing to refuse. */
  private static Map<String, String> good() {
    Map<String, String> properties = new HashMap<>();
    properties.put("hub.agencies[0].code", "police");
    properties.put("hub.agencies[0].name", "police");
    properties.put("hub.agencies[0].kind", "judicial");
    properties.put("hub.agencies[0].api-key-sha256", GOOD_HASH);
    properties.put("hub.admins[0].name", "ops");
    properties.put("hub.admins[0].api-key-sha256", "c".repeat(64));
    properties.put("hub.party-hash-key", "a-real-secret-of-enough-length");
    properties.put("hub.pii.keys.k1", "dGhpcy1pcy1ub3QtYS1yZWFsLWtleS1idXQtbG9uZyE=");
    properties.put("hub.pii.active-key", "k1");
    properties.put("hub.audit.signing-key", "/secrets/audit-signing.pem");
    properties.put("spring.datasource.password", "a-real-database-password");
    return properties;
  }

  private static String refusal(Map<String, String> properties) {
    HubProperties hub =
        new Binder(new MapConfigurationPropertySource(properties))
            .bind("hub", HubProperties.class)
            .get();
    MockEnvironment environment = new MockEnvironment();
    properties.forEach(environment::setProperty);
    try {
      ProductionCheck.check(hub, environment, Set.of(WEAK_HASH));
      return null;
    } catch (InvalidHubConfigurationException e) {
      return e.getMessage();
    }
  }

  @Test
  void shouldStartWhenNothingIsWeak() {
    assertThat(refusal(good())).isNull();
  }

  @Test
  void shouldNameTheKeyWhenASecretIsAPlaceholder() {
    Map<String, String> properties = good();
    properties.put("hub.party-hash-key", "change-me-to-a-long-random-secret");
    properties.put("hub.agencies[0].delivery.mode", "webhook");
    properties.put("hub.agencies[0].delivery.url", "https://example.org/hook");
    properties.put("hub.agencies[0].delivery.secret", "demo-webhook-secret");
    properties.put("spring.datasource.password", "hub-dev-password");
    properties.put("spring.artemis.password", "CHANGE-ME-broker");
    String refusal = refusal(properties);
    assertThat(refusal)
        .contains(
            "hub.party-hash-key: a placeholder",
            "hub.agencies[0].delivery.secret: a placeholder",
            "spring.datasource.password: a placeholder",
            "spring.artemis.password: a placeholder")
        .doesNotContain("demo-webhook-secret", "hub-dev-password", "change-me-to");
  }

  @Test
  void shouldNameTheKeyWhenAnAgencyOrAdminUsesADevelopmentOrExampleKey() {
    Map<String, String> properties = good();
    properties.put("hub.agencies[0].api-key-sha256", GOOD_HASH + "," + WEAK_HASH);
    properties.put("hub.admins[0].api-key-sha256", WEAK_HASH);
    assertThat(refusal(properties))
        .contains("hub.agencies[0].api-key-sha256: a development or example key")
        .contains("hub.admins[0].api-key-sha256: a development or example key");
  }

  @Test
  void shouldNameTheKeyWhenThePersonalDataKeysAreMissing() {
    Map<String, String> properties = good();
    properties.remove("hub.pii.keys.k1");
    assertThat(refusal(properties)).contains("hub.pii.keys: required");
  }

  @Test
  void shouldNameTheKeyWhenTheActivePersonalDataKeyIsNotConfigured() {
    Map<String, String> properties = good();
    properties.put("hub.pii.active-key", "k2");
    assertThat(refusal(properties)).contains("hub.pii.active-key: must name one of");
  }

  @Test
  void shouldNameTheKeyWhenTheAuditSigningKeyIsBlank() {
    Map<String, String> properties = good();
    properties.remove("hub.audit.signing-key");
    assertThat(refusal(properties)).contains("hub.audit.signing-key: required");
  }

  @Test
  void shouldNameTheKeyWhenThePartyHashKeyIsMissing() {
    Map<String, String> properties = good();
    properties.remove("hub.party-hash-key");
    assertThat(refusal(properties)).contains("hub.party-hash-key: required");
  }

  @Test
  void shouldRefuseToStartInProdWithThePublishedExampleKeysAndPlaceholders() {
    // given: the examples' police key ("police-demo-key"), a placeholder and no PII key
    String[] arguments = {
      "--hub.data-dir=" + dataDir,
      "--spring.profiles.active=prod",
      "--hub.agencies[0].code=police",
      "--hub.agencies[0].name=police",
      "--hub.agencies[0].kind=judicial",
      "--hub.agencies[0].api-key-sha256="
          + cn.gov.honghu.hub.agency.ApiKeys.sha256Hex("police-demo-key"),
      "--hub.admins[0].name=ops",
      "--hub.admins[0].api-key-sha256=" + GOOD_HASH,
      "--hub.party-hash-key=change-me-to-a-long-random-secret"
    };
    // when
    assertThatThrownBy(
            () -> {
              try (ConfigurableApplicationContext context =
                  new SpringApplicationBuilder(HubApplication.class)
                      .web(WebApplicationType.NONE)
                      .run(arguments)) {
                // started: fails below
              }
            })
        // then: one message with every problem, each naming its key
        .hasStackTraceContaining("hub.agencies[0].api-key-sha256: a development or example key")
        .hasStackTraceContaining("hub.party-hash-key: a placeholder")
        .hasStackTraceContaining("hub.pii.keys: required")
        .hasStackTraceContaining("hub.audit.signing-key: required");
    // and no dev keys were generated into the data folder
    assertThat(dataDir.resolve("dev-keys.properties")).doesNotExist();
  }

  @Test
  void shouldRecognisePlaceholders() {
    assertThat(ProductionCheck.isPlaceholder(" Change-Me-please ")).isTrue();
    assertThat(ProductionCheck.isPlaceholder("hub-dev-password")).isTrue();
    assertThatCode(() -> ProductionCheck.isPlaceholder("x7Gq-9fA")).doesNotThrowAnyException();
    assertThat(ProductionCheck.isPlaceholder("x7Gq-9fA")).isFalse();
  }
}
