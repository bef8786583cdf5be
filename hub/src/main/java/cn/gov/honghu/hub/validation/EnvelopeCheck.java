package cn.gov.honghu.hub.validation;

import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.message.Submission;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The first two 400 checks of HUB-SPEC section 3: the body is JSON (strict UTF-8, no duplicate
 * keys, bounded nesting), and the envelope names a sender, a known type and a known version.
 * Nothing later runs on a body that fails here.
 */
public final class EnvelopeCheck {

  static final int MAX_NESTING_DEPTH = 64;

  /** Numbers are read as decimals, so that {@code 1.0} and {@code 1} compare equal later. */
  private static final JsonMapper STRICT =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final SchemaCatalog schemas;

  public EnvelopeCheck(SchemaCatalog schemas) {
    this.schemas = schemas;
  }

  public void check(Submission submission) {
    String text = decodeUtf8(submission.body());
    JsonNode tree;
    try {
      tree = STRICT.readTree(text);
    } catch (JacksonException e) {
      throw ValidationFailure.of(
          "the body is not well-formed JSON", List.of(new Violation("", syntaxDetail(e))));
    } catch (NumberFormatException e) {
      // Jackson lets this through unwrapped for a decimal it cannot represent (1E+2147483648)
      throw ValidationFailure.of(
          "the body is not well-formed JSON",
          List.of(new Violation("", "a number is out of the representable range")));
    }
    if (tree == null || !tree.isObject()) {
      throw ValidationFailure.of(
          "the body is not a JSON object", List.of(new Violation("", "must be a JSON object")));
    }
    submission.parsed((ObjectNode) tree, text);
    List<Violation> violations = new ArrayList<>();
    JsonNode sender = tree.get("sender");
    if (sender == null || sender.isNull()) {
      violations.add(new Violation("/sender", "is required"));
    } else if (!sender.isString() || !sender.stringValue().matches(HubProperties.CODE_PATTERN)) {
      violations.add(new Violation("/sender", "must be an agency code"));
    }
    JsonNode type = tree.get("type");
    MessageType messageType = null;
    if (type == null || type.isNull()) {
      violations.add(new Violation("/type", "is required"));
    } else if (!type.isString()
        || (messageType = MessageType.parse(type.stringValue()).orElse(null)) == null) {
      violations.add(new Violation("/type", "unknown message type"));
    }
    JsonNode version = tree.get("schemaVersion");
    if (version == null || version.isNull()) {
      violations.add(new Violation("/schemaVersion", "is required"));
    } else if (messageType != null
        && (!version.isString() || !schemas.knows(messageType.name(), version.stringValue()))) {
      violations.add(new Violation("/schemaVersion", "unknown schema version; supported: \"1\""));
    }
    if (!violations.isEmpty()) {
      throw ValidationFailure.of("the envelope is incomplete or unknown", violations);
    }
    submission.type(messageType);
  }

  private static String decodeUtf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw ValidationFailure.of(
          "the body is not valid UTF-8", List.of(new Violation("", "invalid UTF-8 byte sequence")));
    }
  }

  /** Where the syntax broke, without quoting the text (it may hold personal data). */
  private static String syntaxDetail(JacksonException e) {
    TokenStreamLocation at = e.getLocation();
    String what =
        e instanceof tools.jackson.core.exc.StreamConstraintsException
            ? "nesting or size limit exceeded"
            : "malformed JSON";
    return at == null ? what : what + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }
}
