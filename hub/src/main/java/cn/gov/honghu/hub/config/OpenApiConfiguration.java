package cn.gov.honghu.hub.config;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Arrays;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.PropertyCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}): the title,
 * the bearer key scheme every operation needs, the feature tags, and the two shared schemas the
 * controllers refer to by name: {@value #ENVELOPE} (the body of {@code POST /api/v1/messages}) and
 * {@value #PROBLEM} (every error). Controllers carry only their tag, summaries and status codes;
 * {@link #problemBodies()} gives every 4xx/5xx response its {@code application/problem+json} body,
 * so the annotations stay short. The message schemas themselves live in the {@code schemas} module,
 * which the document links to rather than copies.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  static final String ENVELOPE = "Envelope";
  static final String PROBLEM = "Problem";
  static final String BEARER = "bearerApiKey";
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final String TOO_MANY_REQUESTS = "429";
  private static final String SCHEMAS =
      "the `schemas` module (`schemas/README.md`; one JSON Schema per `type` and version under"
          + " `schemas/src/main/resources/schemas/v1/`, also in the `ecohub-schemas` jar under"
          + " `schemas/v1/`)";

  @Bean
  OpenAPI hubOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Ecological joint-enforcement data-sharing hub")
                .version("v1")
                .description(
                    "The API agency systems integrate against (HUB-SPEC sections 3 and 4): send"
                        + " case messages and alerts, follow their deliveries, and pull the"
                        + " inbox. Every call needs `Authorization: Bearer <api key>`: an agency"
                        + " key for `/api/v1`, an admin key for `/admin/v1`. Errors are"
                        + " `application/problem+json` (RFC 9457). The message contract (the"
                        + " envelope and each type's payload) is "
                        + SCHEMAS
                        + "."))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("API key")
                        .description(
                            "`Authorization: Bearer <api key>`: the agency's key, or an admin"
                                + " key for the admin API."))
                .addSchemas(ENVELOPE, envelope())
                .addSchemas(PROBLEM, problem()))
        .addSecurityItem(new SecurityRequirement().addList(BEARER))
        .tags(
            List.of(
                new Tag().name("ingest").description("Sending messages (HUB-SPEC section 3)"),
                new Tag()
                    .name("messages")
                    .description("A message's receipt and deliveries; the caller's traffic"),
                new Tag()
                    .name("inbox")
                    .description("Pull delivery and acknowledgement (HUB-SPEC section 4)"),
                new Tag()
                    .name("cases")
                    .description("A case's timeline: messages, hub events, deadlines"),
                new Tag()
                    .name("deadlines")
                    .description("Statutory deadlines (THRESHOLDS.md): owed, overdue, closed"),
                new Tag()
                    .name("alerts")
                    .description("Fishing-ban incidents: reports, acknowledgements, escalation"),
                new Tag()
                    .name("admin")
                    .description(
                        "Administration (HUB-SPEC sections 9 and 11); admin credentials only, by"
                            + " role: operator reads every view, admin also replays, discards"
                            + " and approves (four eyes), auditor reads only /admin/v1/audit")));
  }

  /**
   * Gives every error response without a body of its own the problem body: the controllers name the
   * status and when it happens, the shape is the same for all.
   */
  @Bean
  OpenApiCustomizer problemBodies() {
    return openApi -> {
      if (openApi.getPaths() == null) {
        return;
      }
      List<Operation> operations =
          openApi.getPaths().values().stream()
              .flatMap(path -> path.readOperations().stream())
              .filter(operation -> operation.getResponses() != null)
              .toList();
      operations.forEach(
          operation -> operation.getResponses().putIfAbsent(TOO_MANY_REQUESTS, rateLimited()));
      operations.forEach(
          operation ->
              operation.getResponses().entrySet().stream()
                  .filter(response -> response.getKey().matches("[45]\\d\\d"))
                  .forEach(
                      response ->
                          response
                              .getValue()
                              .setContent(
                                  new Content()
                                      .addMediaType(
                                          PROBLEM_JSON,
                                          new MediaType()
                                              .schema(
                                                  new Schema<>()
                                                      .$ref("#/components/schemas/" + PROBLEM))))));
    };
  }

  /**
   * 429, which every operation may answer (HUB-SPEC section 11): the security filter chain, not the
   * controllers, refuses an agency over its message rate or requests in flight, and an address with
   * too many failed authentications this minute.
   */
  private static ApiResponse rateLimited() {
    return new ApiResponse()
        .description(
            "Too many requests (`urn:hub:problem:rate-limited`): the agency is over its message"
                + " rate (ingest) or its requests in flight (`hub.ingest.max-concurrent`), or this"
                + " address failed authentication too often this minute")
        .addHeaderObject(
            "Retry-After",
            new Header()
                .description("Whole seconds to wait before retrying (at least 1)")
                .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)));
  }

  /**
   * Stored JSON written out as it is ({@code @JsonRawValue String receipt, message}) is an object
   * on the wire, not a string: the receipt, or the envelope as accepted.
   */
  @Bean
  PropertyCustomizer rawJsonProperties() {
    return (property, type) -> {
      if (type.getCtxAnnotations() == null
          || Arrays.stream(type.getCtxAnnotations()).noneMatch(JsonRawValue.class::isInstance)) {
        return property;
      }
      String name = type.getPropertyName() == null ? "" : type.getPropertyName();
      return switch (name) {
        case "receipt" -> new Schema<>().$ref("#/components/schemas/Receipt");
        case "message" -> new Schema<>().$ref("#/components/schemas/" + ENVELOPE);
        default -> new ObjectSchema().description("JSON as stored");
      };
    };
  }

  private static Schema<?> envelope() {
    return new ObjectSchema()
        .description(
            "The envelope of every message. `payload` is validated by the JSON Schema of `type`"
                + " and `schemaVersion` in "
                + SCHEMAS
                + ". Fields the contract does not name are accepted and kept.")
        .required(List.of("messageId", "type", "schemaVersion", "sender", "sentAt", "payload"))
        .addProperty(
            "messageId",
            new StringSchema()
                .format("uuid")
                .description("Chosen by the sender; the idempotency key, unique across the hub"))
        .addProperty(
            "type", new StringSchema().description("The message type (HUB-SPEC section 5)"))
        .addProperty("schemaVersion", new StringSchema().example("1").description("\"1\""))
        .addProperty(
            "sender",
            new StringSchema().description("The sending agency's code; must be the caller"))
        .addProperty(
            "sentAt",
            new StringSchema()
                .format("date-time")
                .description("ISO-8601 with offset; at most 5 minutes ahead of the hub"))
        .addProperty(
            "caseNumber",
            new StringSchema()
                .maxLength(64)
                .description(
                    "The case's document number (e.g. 洪环罚〔2026〕12号); required for case"
                        + " messages, not allowed on alerts"))
        .addProperty(
            "payload", new ObjectSchema().description("The type's body; see the type's schema"))
        .additionalProperties(true);
  }

  private static Schema<?> problem() {
    Schema<?> violation =
        new ObjectSchema()
            .addProperty(
                "pointer",
                new StringSchema().description("JSON Pointer of the offending field, e.g. /sender"))
            .addProperty("detail", new StringSchema());
    return new ObjectSchema()
        .description(
            "RFC 9457 problem details; the extra members depend on the status. Never echoes"
                + " personal data.")
        .addProperty("type", new StringSchema().format("uri").example("urn:hub:problem:not-found"))
        .addProperty("title", new StringSchema())
        .addProperty("status", new IntegerSchema())
        .addProperty("detail", new StringSchema())
        .addProperty("instance", new StringSchema().format("uri"))
        .addProperty(
            "errors",
            new ArraySchema().items(violation).description("400: every violation at once"))
        .addProperty("rule", new StringSchema().description("422: the id of the broken case rule"))
        .addProperty(
            "condition", new StringSchema().description("422: the rule's condition that failed"))
        .addProperty(
            "messageId", new StringSchema().description("409: the messageId already accepted"))
        .addProperty(
            "receiptId",
            new StringSchema()
                .description("409: the original receipt, when the sender is the same"))
        .additionalProperties(true);
  }
}
