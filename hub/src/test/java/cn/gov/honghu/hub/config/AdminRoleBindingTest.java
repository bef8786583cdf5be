package cn.gov.honghu.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.config.HubProperties.AdminRole;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code hub.admins[].role} and {@code hub.admin.four-eyes-threshold} as Spring Boot binds them at
 * start (HUB-SPEC section 11): the three roles in any case, {@code admin} when none is given, and a
 * start that stops naming the key for anything else.
 */
class AdminRoleBindingTest {

  private static final String HASH = "a".repeat(64);

  @ParameterizedTest
  @CsvSource({
    "operator, OPERATOR",
    "Operator, OPERATOR",
    "admin, ADMIN",
    "AUDITOR, AUDITOR",
    "auditor, AUDITOR"
  })
  void shouldBindEachRoleWhateverItsCase(String configured, AdminRole expected) {
    HubProperties hub = bind(admin(0, "wang", HASH, configured));

    assertThat(hub.admins().get(0).role()).isEqualTo(expected);
  }

  @Test
  void shouldMakeAnAdminWithoutARoleAnAdmin() {
    HubProperties hub = bind(admin(0, "wang", HASH, null));

    assertThat(hub.admins().get(0).role()).isEqualTo(AdminRole.ADMIN);
  }

  @ParameterizedTest
  @ValueSource(strings = {"superuser", "operators", "read-only", "root"})
  void shouldRefuseAnUnknownRoleNamingTheKey(String role) {
    Map<String, String> properties = admin(0, "wang", HASH, "admin");
    properties.putAll(admin(1, "li", "b".repeat(64), role));

    assertThatThrownBy(() -> bind(properties))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("hub.admins[1].role");
  }

  @Test
  void shouldWaitForFourEyesAbove100ByDefault() {
    assertThat(bind(admin(0, "wang", HASH, null)).admin().fourEyesThreshold()).isEqualTo(100);
    Map<String, String> configured = admin(0, "wang", HASH, null);
    configured.put("hub.admin.four-eyes-threshold", "7");
    assertThat(bind(configured).admin().fourEyesThreshold()).isEqualTo(7);
  }

  @Test
  void shouldRefuseTwoAdminsOfOneName() {
    Map<String, String> properties = admin(0, "wang", HASH, "admin");
    properties.putAll(admin(1, "wang", "b".repeat(64), "operator"));

    assertThatThrownBy(() -> HubConfigurationCheck.check(bind(properties)))
        .isInstanceOf(InvalidHubConfigurationException.class)
        .hasMessageContaining("hub.admins[1].name");
  }

  private static Map<String, String> admin(int i, String name, String hash, String role) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("hub.admins[" + i + "].name", name);
    properties.put("hub.admins[" + i + "].api-key-sha256", hash);
    if (role != null) {
      properties.put("hub.admins[" + i + "].role", role);
    }
    return properties;
  }

  private static HubProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("hub", HubProperties.class);
  }
}
