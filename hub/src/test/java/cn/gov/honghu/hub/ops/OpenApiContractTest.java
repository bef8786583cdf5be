package cn.gov.honghu.hub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document ({@code /v3/api-docs}) against the running hub: every operation it lists is
 * served, and every endpoint the hub serves is listed (HUB-SPEC section 10). A hub 404 for an
 * unknown id ({@code urn:hub:problem:not-found}) counts as served; Spring's no-handler 404 does
 * not.
 */
@ApplicationTest
class OpenApiContractTest {

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final String HUB_NOT_FOUND = "urn:hub:problem:not-found";
  private static final String ENDPOINTS_HEADING = "## Endpoints";
  private static final Pattern TABLE_ROW =
      Pattern.compile("^\\|\\s*`?([A-Za-z]+)`?\\s*\\|\\s*`?(/[^`|\\s]*)`?\\s*\\|.*$");

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping handlerMapping;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldAnswerEveryDocumentedOperationWhenCalledWithAValidKey() {
    // given
    JsonNode document = apiDocs();
    List<String> operations = operations(document);
    assertThat(operations).isNotEmpty();
    SoftAssertions softly = new SoftAssertions();
    // when
    for (String operation : operations) {
      String method = operation.substring(0, operation.indexOf(' '));
      String path = operation.substring(operation.indexOf(' ') + 1);
      boolean hasBody =
          document
              .path("paths")
              .path(path)
              .path(method.toLowerCase(Locale.ROOT))
              .has("requestBody");
      HttpResponse<String> answer = call(method, withRandomIds(path), hasBody ? "{}" : null);
      // then
      softly
          .assertThat(answer.statusCode())
          .as("%s answers (body %s)", operation, answer.body())
          .isNotEqualTo(405);
      if (answer.statusCode() == 404) {
        softly
            .assertThat(problemType(answer))
            .as("%s answers 404 from the hub for an unknown id, not for an unknown path", operation)
            .isEqualTo(HUB_NOT_FOUND);
      }
      if (answer.statusCode() >= 400) {
        softly
            .assertThat(answer.headers().firstValue("Content-Type").orElse(""))
            .as("%s answers errors as problem+json", operation)
            .startsWith("application/problem+json");
      }
    }
    softly.assertAll();
  }

  @Test
  void shouldListEveryEndpointTheHubServesWhenComparedWithTheHandlerMappings() {
    // given
    Set<String> served = new TreeSet<>();
    Set<String> unrestricted = new TreeSet<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping :
        handlerMapping.getHandlerMethods().entrySet()) {
      if (!isHubEndpoint(mapping.getValue())) {
        continue;
      }
      Set<RequestMethod> methods = mapping.getKey().getMethodsCondition().getMethods();
      for (String pattern : mapping.getKey().getPatternValues()) {
        if (methods.isEmpty()) {
          unrestricted.add(withoutRegex(pattern));
        }
        methods.forEach(method -> served.add(method.name() + " " + withoutRegex(pattern)));
      }
    }
    assertThat(served).as("the hub's own endpoints").isNotEmpty();
    // when
    List<String> documented = operations(apiDocs());
    // then
    assertThat(documented).containsAll(served);
    assertThat(documented.stream().map(o -> o.substring(o.indexOf(' ') + 1)))
        .as("mappings without a method restriction")
        .containsAll(unrestricted);
  }

  @Test
  void shouldDescribeEveryOperationWithTagSummaryAndBearerKeyWhenTheDocumentIsServed() {
    // when
    JsonNode document = apiDocs();
    // then
    assertThat(document.path("info").path("title").asString("")).isNotBlank();
    assertThat(document.path("info").path("version").asString("")).isNotBlank();
    JsonNode scheme = document.path("components").path("securitySchemes").path("bearerApiKey");
    assertThat(scheme.path("type").asString("")).isEqualTo("http");
    assertThat(scheme.path("scheme").asString("")).isEqualTo("bearer");
    assertThat(document.path("security").toString()).contains("bearerApiKey");
    assertThat(document.path("paths").propertyNames())
        .isNotEmpty()
        .noneMatch(path -> path.startsWith("/actuator") || path.startsWith("/v3/api-docs"));
    SoftAssertions softly = new SoftAssertions();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        operation -> {
                          String name = operation.getKey() + " " + path.getKey();
                          softly
                              .assertThat(operation.getValue().path("summary").asString(""))
                              .as("summary of %s", name)
                              .isNotBlank();
                          softly
                              .assertThat(operation.getValue().path("tags").size())
                              .as("tags of %s", name)
                              .isPositive();
                          operation
                              .getValue()
                              .path("responses")
                              .properties()
                              .forEach(
                                  response -> {
                                    if (response.getKey().matches("[45]\\d\\d")) {
                                      softly
                                          .assertThat(
                                              response.getValue().path("content").propertyNames())
                                          .as("%s %s", name, response.getKey())
                                          .containsExactly("application/problem+json");
                                    }
                                  });
                        }));
    softly.assertAll();
  }

  @Test
  void shouldDocumentTheEnvelopeBodyAndEveryIngestStatusWhenDescribingPostMessages() {
    // when
    JsonNode post = apiDocs().path("paths").path("/api/v1/messages").path("post");
    // then
    assertThat(post.path("tags").toString()).contains("ingest");
    JsonNode body = post.path("requestBody").path("content").path("application/json");
    assertThat(body.path("schema").path("$ref").asString(""))
        .isEqualTo("#/components/schemas/Envelope");
    assertThat(post.path("responses").propertyNames())
        .contains("202", "200", "400", "401", "403", "409", "413", "415", "422", "429", "503");
    assertThat(post.path("responses").path("202").path("content").toString()).contains("Receipt");
  }

  @Test
  void shouldKeepProblemJsonForUnknownPathsWhenSpringdocServesItsOwnPages() {
    // when
    HttpResponse<String> ui = call("GET", "/swagger-ui/index.html", null);
    HttpResponse<String> unknown = call("GET", "/swagger-ui/no-such-file.js", null);
    HttpResponse<String> unknownApi = call("GET", "/api/v1/no-such-endpoint", null);
    // then
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(List.of(unknown, unknownApi))
        .allSatisfy(
            answer -> {
              assertThat(answer.statusCode()).isEqualTo(404);
              assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                  .startsWith("application/problem+json");
              assertThat(problemType(answer)).isNotEqualTo(HUB_NOT_FOUND);
            });
  }

  @Test
  void shouldNotRepeatThePathWhenSpringAnswersANotFoundWithPersonalDataInTheUrl() {
    // when: an unknown path and a wrong method, both carrying an ID number in the path
    HttpResponse<String> unknown =
        call("GET", "/api/v1/nothing/" + cn.gov.honghu.hub.support.Messages.SUSPECT_ID, null);
    HttpResponse<String> wrongMethod =
        call("DELETE", "/api/v1/messages/" + cn.gov.honghu.hub.support.Messages.SUSPECT_ID, null);
    // then
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(List.of(unknown, wrongMethod))
        .allSatisfy(
            answer ->
                assertThat(answer.body())
                    .doesNotContain(cn.gov.honghu.hub.support.Messages.SUSPECT_ID));
  }

  @Test
  void shouldListExactlyTheDocumentedOperationsWhenReadingTheIntegratorsEndpointTable()
      throws IOException {
    // given
    Path guide = integratorsGuide();
    // when
    Set<String> table = endpointTable(Files.readAllLines(guide, StandardCharsets.UTF_8));
    // then
    assertThat(table).as("endpoint table of %s", guide).isNotEmpty();
    assertThat(table)
        .as("the endpoint table of %s against /v3/api-docs", guide)
        .containsExactlyInAnyOrderElementsOf(new TreeSet<>(operations(apiDocs())));
  }

  private JsonNode apiDocs() {
    HubClient.Answer answer = hub.get(null, "/v3/api-docs");
    assertThat(answer.status()).as("GET /v3/api-docs: %s", answer.text()).isEqualTo(200);
    assertThat(answer.json()).as("the document is a JSON object").isNotNull();
    return answer.json();
  }

  /**
   * docs/integrators.md, found from the working directory up (the hub module runs its tests in
   * hub/, an IDE may run them from the repository root).
   */
  private static Path integratorsGuide() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path guide = dir.resolve("docs").resolve("integrators.md");
      if (Files.isRegularFile(guide)) {
        return guide;
      }
    }
    throw new IllegalStateException(
        "docs/integrators.md not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * "METHOD /path" of every row of the table under the "## Endpoints" heading, up to the next
   * heading of the same or a higher level.
   */
  private static Set<String> endpointTable(List<String> lines) {
    Set<String> rows = new TreeSet<>();
    boolean inSection = false;
    for (String line : lines) {
      if (line.startsWith("#")) {
        if (inSection && line.matches("^#{1,2} .*")) {
          break;
        }
        inSection = inSection || line.strip().equals(ENDPOINTS_HEADING);
        continue;
      }
      Matcher row = TABLE_ROW.matcher(line.strip());
      if (inSection
          && row.matches()
          && HTTP_METHODS.contains(row.group(1).toLowerCase(Locale.ROOT))) {
        String operation = row.group(1).toUpperCase(Locale.ROOT) + " " + row.group(2);
        assertThat(rows.add(operation)).as("%s listed once", operation).isTrue();
      }
    }
    return rows;
  }

  /** "METHOD /path" for every operation of the document. */
  private static List<String> operations(JsonNode document) {
    List<String> operations = new ArrayList<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue().propertyNames().stream()
                    .filter(HTTP_METHODS::contains)
                    .forEach(
                        method ->
                            operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
    return operations;
  }

  /** Everything but springdoc's own endpoints and Spring Boot's (actuator, /error). */
  private static boolean isHubEndpoint(HandlerMethod handler) {
    String type = handler.getBeanType().getName();
    return !type.startsWith("org.springdoc.") && !type.startsWith("org.springframework.boot.");
  }

  private static String withoutRegex(String pattern) {
    return pattern.replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
  }

  private static String withRandomIds(String path) {
    return path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
  }

  private static String problemType(HttpResponse<String> answer) {
    try {
      return HubClient.JSON.readTree(answer.body()).path("type").asString("");
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  /** Admin paths with the admin key, everything else with an agency's (a pull agency's) key. */
  private HttpResponse<String> call(String method, String path, String jsonBody) {
    String key = path.startsWith("/admin/") ? "ops-test-key" : HubClient.key("police");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key);
    if (jsonBody == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("HTTP call failed: " + method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
