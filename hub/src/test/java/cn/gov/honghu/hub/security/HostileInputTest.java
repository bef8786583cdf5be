package cn.gov.honghu.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.security.RawHttp.Header;
import cn.gov.honghu.hub.security.RawHttp.Response;
import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import cn.gov.honghu.hub.support.Messages;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A corpus of hostile inputs over every operation of the OpenAPI document (HUB-SPEC section 10:
 * hostile input never takes the hub down; section 11: authentication before the body, request
 * limits): odd credentials, garbage path and query parameters, broken and oversized JSON, wrong
 * content types, and every field of a valid message of each type replaced by a value of the wrong
 * type; plus inputs from a seeded random generator (deterministic). Every answer is a refusal or a
 * success, never a 5xx, and every refusal is {@code application/problem+json} with a {@code type};
 * afterwards the hub is healthy and accepts a message.
 */
@ApplicationTest
class HostileInputTest {

  private static final long SEED = 14L;
  private static final String ADMIN_KEY = "ops-test-key";
  private static final String JSON = "application/json";
  private static final String INGEST = "/api/v1/messages";
  private static final String TEN_KB = "x".repeat(10 * 1024);

  /**
   * A sender that may send each type (HUB-SPEC section 5), and the addressee where it names one.
   */
  private static final Map<String, String[]> SENDERS = new LinkedHashMap<>();

  static {
    SENDERS.put("CASE_TRANSFER", new String[] {"agriculture", null});
    SENDERS.put("ADMIN_PENALTY_DECISION", new String[] {"agriculture", null});
    SENDERS.put("FILING_DECISION", new String[] {"police", null});
    SENDERS.put("RECONSIDERATION_REQUEST", new String[] {"agriculture", null});
    SENDERS.put("RECONSIDERATION_DECISION", new String[] {"police", null});
    SENDERS.put("SUPERVISION_NOTICE", new String[] {"procuratorate", "agriculture"});
    SENDERS.put("INDICTMENT", new String[] {"procuratorate", null});
    SENDERS.put("JUDGMENT", new String[] {"court", null});
    SENDERS.put("REVERSE_TRANSFER", new String[] {"court", "water"});
    SENDERS.put("PROCURATORIAL_SUGGESTION", new String[] {"procuratorate", "natural-resources"});
    SENDERS.put("SUGGESTION_REPLY", new String[] {"agriculture", null});
    SENDERS.put("ENFORCEMENT_SUPERVISION_NOTICE", new String[] {"justice", "agriculture"});
    SENDERS.put("RECTIFICATION_REPLY", new String[] {"agriculture", null});
    SENDERS.put("REVERSE_TRANSFER_RESULT", new String[] {"agriculture", null});
    SENDERS.put("EVIDENCE_HANDOVER", new String[] {"agriculture", null});
    SENDERS.put("RETRACTION", new String[] {"agriculture", null});
    SENDERS.put("FISHING_BAN_ALERT", new String[] {"environment", null});
    SENDERS.put("ALERT_ACK", new String[] {"agriculture", null});
  }

  /** One operation of the OpenAPI document. */
  record Operation(
      String method, String path, List<String> pathParams, List<String> query, boolean body) {
    @Override
    public String toString() {
      return method + " " + path;
    }

    boolean admin() {
      return path.startsWith("/admin/");
    }

    boolean ingest() {
      return method.equals("POST") && path.equals(INGEST);
    }

    /** The path with every variable filled by {@code value} (already encoded). */
    String fill(String value) {
      return path.replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(value));
    }
  }

  /** One hostile request; {@code expected}, when not null, the statuses it may get. */
  record Input(
      String what,
      Operation operation,
      String target,
      List<Header> headers,
      Supplier<byte[]> body,
      Set<Integer> expected) {}

  @LocalServerPort int port;
  HubClient hub;
  RawHttp http;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
    http = new RawHttp(port);
  }

  @Test
  void shouldNeverAnswer5xxAndAlwaysAProblemWhenSentTheHostileCorpus() throws IOException {
    // given: every operation of the OpenAPI document, and the corpus over them
    List<Operation> operations = operations();
    assertThat(operations).extracting(Operation::toString).contains("POST " + INGEST);
    List<Input> corpus = new ArrayList<>();
    for (Operation operation : operations) {
      corpus.addAll(oddCredentials(operation));
      corpus.addAll(garbagePathParameters(operation));
      corpus.addAll(garbageQueryParameters(operation));
      if (operation.body()) {
        corpus.addAll(hostileBodies(operation));
      }
    }
    Operation ingest = operations.stream().filter(Operation::ingest).findFirst().orElseThrow();
    corpus.addAll(wrongTypesForEveryField(ingest));
    corpus.addAll(generated(operations, new Random(SEED), 150));
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);

    // when
    Map<Integer, Integer> counts = new TreeMap<>();
    Map<String, Integer> perOperation = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();
    for (Input input : corpus) {
      Response answer =
          http.send(
              input.operation().method(),
              input.target(),
              input.headers(),
              input.body() == null ? null : input.body().get());
      counts.merge(answer.status(), 1, Integer::sum);
      perOperation.merge(input.operation().toString(), 1, Integer::sum);
      String problem = problemOf(input, answer);
      if (problem != null) {
        failures.add(problem);
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "hostile corpus: %d inputs over %d operations in %d ms, statuses %s%n",
        corpus.size(), operations.size(), millis, counts);

    // then
    assertThat(failures).as("answers that are a 5xx or not a problem").isEmpty();
    assertThat(perOperation.keySet())
        .as("every operation of the document got hostile input")
        .containsExactlyInAnyOrderElementsOf(operations.stream().map(Operation::toString).toList());
    assertStillServing();
  }

  /** Null when the answer is acceptable, else why not. */
  private static String problemOf(Input input, Response answer) {
    String where = input.operation() + " [" + input.what() + "] -> " + answer.status();
    if (answer.status() == 0 || answer.status() >= 500) {
      return where + ": " + abbreviate(answer.body());
    }
    if (input.expected() != null && !input.expected().contains(answer.status())) {
      return where + " (expected " + input.expected() + "): " + abbreviate(answer.body());
    }
    if (answer.status() >= 400) {
      if (!answer.contentType().startsWith("application/problem+json")) {
        return where + " is " + answer.contentType() + ": " + abbreviate(answer.body());
      }
      try {
        JsonNode problem = HubClient.JSON.readTree(answer.body());
        if (problem.path("type").asString("").isBlank()
            || problem.path("status").asInt() != answer.status()) {
          return where + " without type or status: " + abbreviate(answer.body());
        }
      } catch (RuntimeException notJson) {
        return where + " is not JSON: " + abbreviate(answer.body());
      }
      if (answer.status() == 429 && answer.header("Retry-After") == null) {
        return where + " without Retry-After";
      }
    }
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private void assertStillServing() {
    Answer health = hub.get(null, "/actuator/health");
    assertThat(health.status()).as("health").isEqualTo(200);
    assertThat(health.get("status").asString()).isEqualTo("UP");
    Answer accepted =
        hub.post(
            "agriculture",
            Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null));
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
  }

  // ---------------------------------------------------------------- the OpenAPI document

  private List<Operation> operations() {
    Answer docs = hub.get(null, "/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    List<Operation> operations = new ArrayList<>();
    docs.get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          String method = op.getKey().toUpperCase(Locale.ROOT);
                          if (!Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                            return;
                          }
                          List<String> pathParams = new ArrayList<>();
                          List<String> query = new ArrayList<>();
                          op.getValue()
                              .path("parameters")
                              .forEach(
                                  p -> {
                                    String in = p.path("in").asString("");
                                    if (in.equals("path")) {
                                      pathParams.add(p.path("name").asString());
                                    } else if (in.equals("query")) {
                                      query.add(p.path("name").asString());
                                    }
                                  });
                          operations.add(
                              new Operation(
                                  method,
                                  path.getKey(),
                                  pathParams,
                                  query,
                                  op.getValue().has("requestBody") || method.equals("POST")));
                        }));
    return operations;
  }

  // ---------------------------------------------------------------- hand-written inputs

  /** The right key for the operation: an admin's for /admin, else a pull agency's. */
  private static String key(Operation operation) {
    return operation.admin() ? ADMIN_KEY : HubClient.key("police");
  }

  private static List<Header> headers(Operation operation, String contentType) {
    List<Header> headers = new ArrayList<>();
    headers.add(Header.of("Authorization", "Bearer " + key(operation)));
    if (contentType != null) {
      headers.add(Header.of("Content-Type", contentType));
    }
    return headers;
  }

  /** A body the operation would take: a valid message for ingest, else a small JSON object. */
  private static Supplier<byte[]> decentBody(Operation operation) {
    if (!operation.body()) {
      return null;
    }
    if (operation.ingest()) {
      return () ->
          utf8(
              HubClient.JSON.writeValueAsString(
                  Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null)));
    }
    return () -> utf8("{\"deliveryIds\":[\"" + UUID.randomUUID() + "\"],\"reason\":\"test\"}");
  }

  private static String target(Operation operation) {
    return operation.fill(UUID.randomUUID().toString());
  }

  private static List<Input> oddCredentials(Operation operation) {
    Map<String, List<Header>> odd = new LinkedHashMap<>();
    odd.put("no Authorization", List.of());
    odd.put("Bearer alone", List.of(Header.of("Authorization", "Bearer")));
    odd.put("Bearer and a space", List.of(Header.of("Authorization", "Bearer ")));
    odd.put("no scheme", List.of(Header.of("Authorization", key(operation))));
    odd.put("Basic x", List.of(Header.of("Authorization", "Basic x")));
    odd.put("Basic of the key", List.of(Header.of("Authorization", "Basic " + key(operation))));
    odd.put("8 KB key", List.of(Header.of("Authorization", "Bearer " + "k".repeat(8 * 1024))));
    odd.put("non-ASCII key", List.of(Header.of("Authorization", "Bearer 钥匙-ключ-🔑")));
    odd.put(
        "Latin-1 key",
        List.of(new Header("Authorization", new byte[] {'B', 'e', 'a', 'r', 'e', 'r', ' ', -23})));
    odd.put("empty Authorization", List.of(Header.of("Authorization", "")));
    odd.put("Bearer twice", List.of(Header.of("Authorization", "Bearer Bearer " + key(operation))));
    odd.put(
        "key with a NUL",
        List.of(new Header("Authorization", utf8("Bearer " + key(operation) + "\u0000"))));
    List<Input> inputs = new ArrayList<>();
    odd.forEach(
        (what, authorization) -> {
          List<Header> headers = new ArrayList<>(authorization);
          headers.add(Header.of("Content-Type", JSON));
          inputs.add(
              new Input(
                  what,
                  operation,
                  target(operation),
                  headers,
                  decentBody(operation),
                  Set.of(400, 401)));
        });
    // two Authorization headers: the hub must not take the good one for the bad one
    for (boolean goodFirst : new boolean[] {true, false}) {
      List<Header> two = new ArrayList<>();
      Header good = Header.of("Authorization", "Bearer " + key(operation));
      Header bad = Header.of("Authorization", "Bearer not-a-key");
      two.add(goodFirst ? good : bad);
      two.add(goodFirst ? bad : good);
      two.add(Header.of("Content-Type", JSON));
      inputs.add(
          new Input(
              "two Authorization headers, " + (goodFirst ? "good first" : "bad first"),
              operation,
              target(operation),
              two,
              decentBody(operation),
              null));
    }
    return inputs;
  }

  private static List<Input> garbagePathParameters(Operation operation) {
    if (operation.pathParams().isEmpty()) {
      return List.of();
    }
    Map<String, String> garbage = new LinkedHashMap<>();
    garbage.put("%00", "%00");
    garbage.put("../..", "../..");
    garbage.put("encoded ../..", "%2e%2e%2f%2e%2e");
    garbage.put("encoded slash", "a%2Fb");
    garbage.put("backslash", "a%5Cb");
    garbage.put("5 KB id", "i".repeat(5 * 1024));
    garbage.put("unicode, encoded", encode("洪环罚〔2026〕12号-ключ-🐟"));
    garbage.put("unicode, raw bytes", "洪环罚〔2026〕12号");
    garbage.put("percent alone", "%");
    garbage.put("bad escape", "%zz");
    garbage.put("matrix parameter", "x;jsessionid=1");
    garbage.put("control characters", "%01%02%1b%7f");
    garbage.put("empty", "");
    garbage.put("spaces", "%20%20");
    garbage.put("SQL", encode("' OR '1'='1"));
    garbage.put("an ID number", Messages.SUSPECT_ID);
    List<Input> inputs = new ArrayList<>();
    garbage.forEach(
        (what, value) ->
            inputs.add(
                new Input(
                    "path " + what,
                    operation,
                    operation.fill(value),
                    headers(operation, operation.body() ? JSON : null),
                    decentBody(operation),
                    null)));
    return inputs;
  }

  private static List<Input> garbageQueryParameters(Operation operation) {
    List<String> names = new ArrayList<>(operation.query());
    for (String always : List.of("limit", "page", "size", "from")) {
      if (!names.contains(always)) {
        names.add(always); // unknown parameters must be ignored as calmly
      }
    }
    List<String> values =
        List.of(
            "-1",
            "0",
            "abc",
            "99999999999999999999",
            "1e999999",
            "NaN",
            "-5",
            "not-a-date",
            "2026-13-45T99:99:99%2B25:00",
            "%00",
            "%zz",
            "",
            "q".repeat(5 * 1024),
            encode("洪湖-🐟"),
            encode("' OR 1=1 --"));
    List<Input> inputs = new ArrayList<>();
    String base = target(operation);
    for (String name : names) {
      for (String value : values) {
        inputs.add(
            new Input(
                "query " + name + "=" + value.substring(0, Math.min(20, value.length())),
                operation,
                base + "?" + name + "=" + value,
                headers(operation, operation.body() ? JSON : null),
                decentBody(operation),
                null));
      }
      inputs.add(
          new Input(
              "query " + name + " repeated",
              operation,
              base + "?" + name + "=1&" + name + "=2&" + name + "=abc",
              headers(operation, operation.body() ? JSON : null),
              decentBody(operation),
              null));
    }
    inputs.add(
        new Input(
            "1000 parameters",
            operation,
            base + "?" + "p=1&".repeat(1000),
            headers(operation, operation.body() ? JSON : null),
            decentBody(operation),
            null));
    return inputs;
  }

  private static List<Input> hostileBodies(Operation operation) {
    Map<String, Supplier<byte[]>> bodies = new LinkedHashMap<>();
    bodies.put(
        "invalid UTF-8",
        () ->
            concat(
                utf8("{\"reason\":\""), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, utf8("\"}")));
    bodies.put(
        "overlong UTF-8 encoding",
        () -> concat(utf8("{\"reason\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\"}")));
    bodies.put(
        "lone surrogate escape",
        () -> utf8("{\"reason\":\"\\uD800\",\"deliveryIds\":[\"\\uDFFF\"]}"));
    bodies.put("UTF-16 body", () -> "{\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_16));
    bodies.put(
        "byte order mark",
        () -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{}")));
    bodies.put("1e999999", () -> utf8("{\"reason\":1e999999,\"deliveryIds\":[1e999999]}"));
    bodies.put("-1e999999", () -> utf8("{\"limit\":-1e999999}"));
    bodies.put("400-digit integer", () -> utf8("{\"reason\":" + "9".repeat(400) + "}"));
    bodies.put("400-digit fraction", () -> utf8("{\"reason\":0." + "1".repeat(400) + "}"));
    bodies.put(
        "NUL in every string (PostgreSQL refuses it in text)",
        () ->
            utf8(
                "{\"deliveryIds\":[\"a\\u0000b\"],\"agency\":\"\\u0000\",\"type\":\"x\\u0000\","
                    + "\"error\":\"\\u0000\",\"reason\":\"r\\u0000\"}"));
    bodies.put("NaN", () -> utf8("{\"reason\":NaN}"));
    bodies.put("Infinity", () -> utf8("{\"reason\":Infinity}"));
    bodies.put("-Infinity", () -> utf8("{\"reason\":-Infinity}"));
    bodies.put("10,000 nested arrays", () -> utf8("[".repeat(10_000) + "]".repeat(10_000)));
    bodies.put(
        "10,000 nested objects", () -> utf8("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
    bodies.put("10,000 unclosed arrays", () -> utf8("[".repeat(10_000)));
    bodies.put(
        "duplicate keys",
        () ->
            utf8(
                "{\"reason\":\"a\",\"reason\":\"b\",\"deliveryIds\":[],\"deliveryIds\":[\"x\"],"
                    + "\"messageId\":\"1\",\"messageId\":\"2\"}"));
    bodies.put("long string (100 KB)", () -> utf8("{\"reason\":\"" + "s".repeat(100_000) + "\"}"));
    bodies.put("long string (60 KB)", () -> utf8("{\"reason\":\"" + "s".repeat(60_000) + "\"}"));
    bodies.put("long field name (10 KB)", () -> utf8("{\"" + "f".repeat(10 * 1024) + "\":1}"));
    bodies.put(
        "5,000 fields",
        () -> {
          StringBuilder many = new StringBuilder("{");
          for (int i = 0; i < 5000; i++) {
            many.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(i);
          }
          return utf8(many.append('}').toString());
        });
    bodies.put("empty body", () -> new byte[0]);
    bodies.put("null", () -> utf8("null"));
    bodies.put("array", () -> utf8("[]"));
    bodies.put("string", () -> utf8("\"x\""));
    bodies.put("number", () -> utf8("42"));
    bodies.put("true", () -> utf8("true"));
    bodies.put("truncated", () -> utf8("{\"reason\":\"x"));
    bodies.put("trailing garbage", () -> utf8("{} }{"));
    bodies.put("comments", () -> utf8("{/* c */\"reason\":\"x\" // c\n}"));
    bodies.put("single quotes", () -> utf8("{'reason':'x'}"));
    bodies.put("NUL bytes", () -> new byte[] {'{', 0, 0, '}'});
    bodies.put("wrong types", () -> utf8("{\"reason\":[],\"deliveryIds\":{\"a\":1}}"));
    bodies.put("nulls", () -> utf8("{\"reason\":null,\"deliveryIds\":[null,null]}"));
    bodies.put(
        "501 delivery ids",
        () -> {
          StringBuilder ids = new StringBuilder("{\"deliveryIds\":[");
          for (int i = 0; i < 501; i++) {
            ids.append(i == 0 ? "" : ",").append('"').append(UUID.randomUUID()).append('"');
          }
          return utf8(ids.append("]}").toString());
        });
    List<Input> inputs = new ArrayList<>();
    bodies.forEach(
        (what, body) ->
            inputs.add(
                new Input(
                    "body " + what,
                    operation,
                    target(operation),
                    headers(operation, JSON),
                    body,
                    null)));
    Map<String, String> contentTypes = new LinkedHashMap<>();
    contentTypes.put("text/plain", "text/plain");
    contentTypes.put("application/xml", "application/xml");
    contentTypes.put("form", "application/x-www-form-urlencoded");
    contentTypes.put("multipart", "multipart/form-data; boundary=x");
    contentTypes.put("JSON in Latin-1", "application/json; charset=ISO-8859-1");
    contentTypes.put("JSON in an unknown charset", "application/json; charset=klingon");
    contentTypes.put("garbage", "}{;;=");
    contentTypes.put("empty", "");
    contentTypes.put("*/*", "*/*");
    contentTypes.put("application/*", "application/*");
    contentTypes.put("*/* with a charset", "*/*; charset=UTF-8");
    contentTypes.put("problem+json", "application/problem+json");
    contentTypes.forEach(
        (what, type) ->
            inputs.add(
                new Input(
                    "content type " + what,
                    operation,
                    target(operation),
                    headers(operation, type),
                    decentBody(operation),
                    null)));
    inputs.add(
        new Input(
            "no content type",
            operation,
            target(operation),
            headers(operation, null),
            decentBody(operation),
            null));
    return inputs;
  }

  /**
   * Every field (and nested object and array) of a valid message of each type replaced in turn by
   * null, a number, an array, an object and a 10 KB string.
   */
  private static List<Input> wrongTypesForEveryField(Operation ingest) {
    List<Input> inputs = new ArrayList<>();
    SENDERS.forEach(
        (type, sender) -> {
          ObjectNode sample = sample(type, sender);
          for (String pointer : pointers(sample, "")) {
            for (String wrong : List.of("null", "number", "array", "object", "10 KB string")) {
              inputs.add(
                  new Input(
                      type + " " + pointer + " := " + wrong,
                      ingest,
                      INGEST,
                      List.of(
                          Header.of("Authorization", "Bearer " + HubClient.key(sender[0])),
                          Header.of("Content-Type", JSON)),
                      () -> {
                        ObjectNode message = sample(type, sender);
                        replace(message, pointer, wrong);
                        return utf8(HubClient.JSON.writeValueAsString(message));
                      },
                      null));
            }
          }
        });
    return inputs;
  }

  private static ObjectNode sample(String type, String[] sender) {
    return Messages.of(type, sender[0], Messages.newCaseNumber(), sender[1]);
  }

  /** The JSON Pointers of every member and element below the root. */
  private static List<String> pointers(JsonNode node, String at) {
    List<String> pointers = new ArrayList<>();
    if (node.isObject()) {
      node.properties()
          .forEach(
              member -> {
                String pointer = at + "/" + member.getKey();
                pointers.add(pointer);
                pointers.addAll(pointers(member.getValue(), pointer));
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        pointers.add(at + "/" + i);
        pointers.addAll(pointers(node.get(i), at + "/" + i));
      }
    }
    return pointers;
  }

  private static void replace(ObjectNode message, String pointer, String wrong) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = message.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    JsonNode value =
        switch (wrong) {
          case "null" -> HubClient.JSON.nullNode();
          case "number" -> HubClient.JSON.getNodeFactory().numberNode(12345.678);
          case "array" -> HubClient.JSON.createArrayNode().add(1).add("x");
          case "object" -> HubClient.JSON.createObjectNode().put("x", 1);
          default -> HubClient.JSON.getNodeFactory().stringNode(TEN_KB);
        };
    if (parent instanceof ObjectNode object) {
      object.set(last, value);
    } else if (parent instanceof ArrayNode array) {
      array.set(Integer.parseInt(last), value);
    }
  }

  // ---------------------------------------------------------------- generated inputs

  /**
   * {@code count} inputs from a seeded generator: a random operation, random credentials (mostly
   * right), random query garbage, and a random body: random bytes, random JSON of random depth and
   * width, or a valid message with a random field replaced by random JSON.
   */
  private static List<Input> generated(List<Operation> operations, Random random, int count) {
    List<Input> inputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Operation operation = operations.get(random.nextInt(operations.size()));
      long bodySeed = random.nextLong();
      int kind = random.nextInt(4);
      String target = operation.fill(randomToken(random));
      if (random.nextBoolean()) {
        target += "?" + randomToken(random) + "=" + randomToken(random);
      }
      List<Header> headers = new ArrayList<>();
      if (random.nextInt(5) > 0) {
        headers.add(Header.of("Authorization", "Bearer " + key(operation)));
      } else {
        headers.add(new Header("Authorization", randomBytes(random, 1 + random.nextInt(200))));
      }
      headers.add(Header.of("Content-Type", random.nextInt(5) > 0 ? JSON : randomToken(random)));
      Supplier<byte[]> body =
          switch (kind) {
            case 0 -> () -> randomBytes(new Random(bodySeed), new Random(bodySeed).nextInt(4096));
            case 1 -> () -> utf8(randomJson(new Random(bodySeed), 0));
            case 2 -> () -> mutatedMessage(new Random(bodySeed));
            default -> decentBody(operation);
          };
      if (operation.ingest() && kind == 2) {
        headers.set(0, Header.of("Authorization", "Bearer " + HubClient.key("agriculture")));
      }
      inputs.add(
          new Input(
              "generated #" + i + " (kind " + kind + ")",
              operation,
              target,
              headers,
              operation.body() || random.nextInt(4) == 0 ? body : null,
              null));
    }
    return inputs;
  }

  private static byte[] mutatedMessage(Random random) {
    String type = new ArrayList<>(SENDERS.keySet()).get(random.nextInt(SENDERS.size()));
    ObjectNode message = sample(type, new String[] {"agriculture", "water"});
    List<String> pointers = pointers(message, "");
    String pointer = pointers.get(random.nextInt(pointers.size()));
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = message.at(pointer.substring(0, slash));
    JsonNode value = randomNode(random, 2);
    if (parent instanceof ObjectNode object) {
      object.set(pointer.substring(slash + 1), value);
    } else if (parent instanceof ArrayNode array) {
      array.set(Integer.parseInt(pointer.substring(slash + 1)), value);
    }
    return utf8(HubClient.JSON.writeValueAsString(message));
  }

  private static String randomJson(Random random, int depth) {
    return HubClient.JSON.writeValueAsString(randomNode(random, depth));
  }

  /** Built as nodes: the test's own parser has the hub's read limits (one JVM). */
  private static JsonNode randomNode(Random random, int depth) {
    var nodes = HubClient.JSON.getNodeFactory();
    int pick = random.nextInt(depth > 6 ? 6 : 9);
    return switch (pick) {
      case 0 -> nodes.nullNode();
      case 1 -> nodes.booleanNode(random.nextBoolean());
      case 2 -> nodes.numberNode(random.nextLong());
      case 3 -> nodes.numberNode(random.nextGaussian() * Math.pow(10, random.nextInt(300)));
      case 4, 5 -> nodes.stringNode(randomString(random));
      case 6 -> {
        ArrayNode array = HubClient.JSON.createArrayNode();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          array.add(randomNode(random, depth + 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = HubClient.JSON.createObjectNode();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          object.set(randomString(random), randomNode(random, depth + 1));
        }
        yield object;
      }
    };
  }

  private static String randomString(Random random) {
    int length = random.nextInt(10) == 0 ? random.nextInt(20_000) : random.nextInt(30);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(4);
      text.appendCodePoint(
          switch (kind) {
            case 0 -> random.nextInt(0x20);
            case 1 -> 0x20 + random.nextInt(0x5f);
            case 2 -> 0x4e00 + random.nextInt(0x5000);
            default -> 0x1f300 + random.nextInt(0x300);
          });
    }
    return text.toString();
  }

  private static String randomToken(Random random) {
    return encode(randomString(random));
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\r' || bytes[i] == '\n') {
        bytes[i] = 'x'; // the bytes stay in their header
      }
    }
    return bytes;
  }

  // ---------------------------------------------------------------- helpers

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }
}
