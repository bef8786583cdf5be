package cn.gov.honghu.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The role matrix of HUB-SPEC section 11 over every admin endpoint, taken from Spring MVC's own
 * mappings, so an endpoint added later is covered without touching this test: {@code operator}
 * reads every admin view and changes nothing, {@code admin} does everything, {@code auditor} reads
 * only {@code /admin/v1/audit*}; an agency key gets 403 and no key 401.
 *
 * <p>The expectations are written from the specification here, not read from the security
 * configuration, so a wrong rule there fails this test. A change is called with a malformed JSON
 * body, so that a role that passes is answered 400 by the endpoint instead of changing anything
 * (retention, which takes no body, runs: it purges nothing this young).
 */
@ApplicationTest
class AdminRolesTest {

  private static final String OPS = "ops-test-key"; // no role configured: admin by default
  private static final String SECOND_ADMIN = "second-admin-test-key";
  private static final String OPERATOR = "operator-test-key";
  private static final String AUDITOR = "auditor-test-key";

  /** One admin operation: a method and a path pattern. */
  record Endpoint(String method, String pattern) {
    String path() {
      return pattern.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    boolean read() {
      return method.equals("GET") || method.equals("HEAD");
    }

    boolean audit() {
      return pattern.equals("/admin/v1/audit") || pattern.startsWith("/admin/v1/audit/");
    }

    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldFindEveryAdminEndpointInTheMappings() {
    // when
    Set<String> found = new TreeSet<>();
    adminEndpoints().forEach(e -> found.add(e.toString()));

    // then: the matrix is not vacuous, and covers the endpoints of this issue
    assertThat(found)
        .contains(
            "GET /admin/v1/failed",
            "POST /admin/v1/failed/{id}/replay",
            "POST /admin/v1/failed/replay",
            "POST /admin/v1/failed/{id}/discard",
            "POST /admin/v1/retention/run",
            "GET /admin/v1/approvals",
            "POST /admin/v1/approvals/{approvalId}/approve",
            "POST /admin/v1/approvals/{approvalId}/reject");
  }

  @Test
  void shouldLetEachRoleDoWhatSection11SaysAndRefuseTheRestWith403() {
    // given: every admin endpoint, and the audit chain's even where it is not built yet
    List<Endpoint> endpoints = new ArrayList<>(adminEndpoints());
    endpoints.add(new Endpoint("GET", "/admin/v1/audit"));
    endpoints.add(new Endpoint("GET", "/admin/v1/audit/verify"));
    endpoints.add(new Endpoint("POST", "/admin/v1/audit"));
    List<String> wrong = new ArrayList<>();

    for (Endpoint endpoint : endpoints) {
      // when / then
      expect(wrong, endpoint, "no key", null, 401);
      expect(wrong, endpoint, "an agency key", HubClient.key("police"), 403);
      expect(wrong, endpoint, "admin (default role)", OPS, allowed(true));
      expect(wrong, endpoint, "admin", SECOND_ADMIN, allowed(true));
      expect(wrong, endpoint, "operator", OPERATOR, allowed(endpoint.read()));
      expect(wrong, endpoint, "auditor", AUDITOR, allowed(endpoint.read() && endpoint.audit()));
    }
    assertThat(wrong).as("answers against the role matrix").isEmpty();
  }

  @Test
  void shouldNameTheRefusedRoleInAProblem() {
    // when
    Answer operator =
        call(new Endpoint("POST", "/admin/v1/failed/{id}/replay"), OPERATOR, "{\"reason\":\"x\"}");
    Answer auditor = call(new Endpoint("GET", "/admin/v1/failed"), AUDITOR, null);

    // then
    assertThat(operator.status()).isEqualTo(403);
    assertThat(operator.contentType()).startsWith("application/problem+json");
    assertThat(operator.get("type").asString()).isEqualTo("urn:hub:problem:forbidden");
    assertThat(operator.get("role").asString()).isEqualTo("operator");
    assertThat(operator.get("detail").asString()).contains("operator");
    assertThat(auditor.status()).isEqualTo(403);
    assertThat(auditor.get("role").asString()).isEqualTo("auditor");
  }

  @Test
  void shouldLetTheOperatorReadTheFailedStoreButNotReplayFromIt() {
    // when
    Answer list = hub.getWithKey(OPERATOR, "/admin/v1/failed");
    Answer batch =
        call(new Endpoint("POST", "/admin/v1/failed/replay"), OPERATOR, "{\"reason\":\"x\"}");

    // then
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    assertThat(batch.status()).as(batch.text()).isEqualTo(403);
  }

  // ---------------------------------------------------------------- helpers

  /** Marker statuses: any answer but 401 and 403 (allowed), or exactly 403. */
  private static int allowed(boolean allowed) {
    return allowed ? 0 : 403;
  }

  private void expect(List<String> wrong, Endpoint endpoint, String who, String key, int expected) {
    Answer answer = call(endpoint, key, endpoint.read() ? null : "{");
    boolean ok =
        expected == 0
            ? answer.status() != 401 && answer.status() != 403 && answer.status() < 500
            : answer.status() == expected
                && answer.contentType() != null
                && answer.contentType().startsWith("application/problem+json");
    if (!ok) {
      wrong.add(
          endpoint
              + " as "
              + who
              + ": "
              + answer.status()
              + " (expected "
              + (expected == 0 ? "allowed" : expected)
              + ")");
    }
  }

  private Answer call(Endpoint endpoint, String key, String body) {
    return hub.send(
        endpoint.method(),
        endpoint.path(),
        key,
        body == null ? null : "application/json",
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private List<Endpoint> adminEndpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    mappings
        .getHandlerMethods()
        .keySet()
        .forEach(
            info -> {
              Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
              for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/admin/")) {
                  continue;
                }
                // A mapping without methods answers them all: GET and POST stand for them.
                Set<RequestMethod> each =
                    methods.isEmpty() ? Set.of(RequestMethod.GET, RequestMethod.POST) : methods;
                each.forEach(m -> endpoints.add(new Endpoint(m.name(), pattern)));
              }
            });
    return endpoints;
  }
}
