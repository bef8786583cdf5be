package cn.gov.honghu.hub.message;

import cn.gov.honghu.hub.agency.Agency;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One posted message on its way through the ingest routes: each stage reads what the earlier ones
 * established and adds its own finding. It is the body of the Camel exchange; it never leaves the
 * process.
 */
public final class Submission {

  private final Agency caller;
  private final byte[] body;
  private ObjectNode envelope;
  private String text;
  private MessageType type;
  private String caseKey;
  private String contentSha256;
  private String businessKeySha256;
  private Assessment assessment = Assessment.NONE;
  private RoutingDecision routing;
  private Receipt outcome;
  private int outcomeStatus;

  public Submission(Agency caller, byte[] body) {
    this.caller = caller;
    this.body = body;
  }

  /**
   * The routing result: recipients and the rule ids, clauses and flags that explain them, the
   * sources of the facts the hub supplied, and the hub-generated messages the decision raises.
   */
  public record RoutingDecision(
      List<String> recipients,
      List<String> ruleIds,
      List<String> clauses,
      List<String> flags,
      Map<String, String> factSources,
      List<Raised> raised) {

    /** A decision that raises nothing and explains no facts. */
    public RoutingDecision(
        List<String> recipients, List<String> ruleIds, List<String> clauses, List<String> flags) {
      this(recipients, ruleIds, clauses, flags, Map.of(), List.of());
    }
  }

  /**
   * A hub-generated message (sender {@code hub}) that routing raised for this message: its type,
   * recipients, the rule that raised it and that rule's legal basis.
   */
  public record Raised(MessageType type, List<String> recipients, String ruleId, String basis) {}

  public Agency caller() {
    return caller;
  }

  public byte[] body() {
    return body;
  }

  public void parsed(ObjectNode envelope, String text) {
    this.envelope = envelope;
    this.text = text;
  }

  /** The envelope as accepted (the parsed tree of the posted body). */
  public ObjectNode envelope() {
    return envelope;
  }

  /** The posted body as text; what recipients get as {@code message}. */
  public String text() {
    return text;
  }

  public String messageId() {
    return envelope.path("messageId").asString("");
  }

  public String sender() {
    return envelope.path("sender").asString("");
  }

  public String caseNumber() {
    JsonNode caseNumber = envelope.get("caseNumber");
    return caseNumber == null || !caseNumber.isString() ? null : caseNumber.stringValue();
  }

  public JsonNode payload() {
    return envelope.path("payload");
  }

  public MessageType type() {
    return type;
  }

  public void type(MessageType type) {
    this.type = type;
  }

  /** The normalised case number ({@link CaseNumbers#key}); null for alerts. */
  public String caseKey() {
    return caseKey;
  }

  public void caseKey(String caseKey) {
    this.caseKey = caseKey;
  }

  public String contentSha256() {
    return contentSha256;
  }

  public String businessKeySha256() {
    return businessKeySha256;
  }

  public void fingerprints(String contentSha256, String businessKeySha256) {
    this.contentSha256 = contentSha256;
    this.businessKeySha256 = businessKeySha256;
  }

  /** What the facts and citations showed; {@link Assessment#NONE} until assessed. */
  public Assessment assessment() {
    return assessment;
  }

  public void assessment(Assessment assessment) {
    this.assessment = assessment;
  }

  public RoutingDecision routing() {
    return routing;
  }

  public void routing(RoutingDecision routing) {
    this.routing = routing;
  }

  /** Set once the message is answered: 202 (accepted) or 200 (duplicate). */
  public void answer(int status, Receipt receipt) {
    this.outcomeStatus = status;
    this.outcome = receipt;
  }

  public boolean isAnswered() {
    return outcome != null;
  }

  public Receipt outcome() {
    return outcome;
  }

  public int outcomeStatus() {
    return outcomeStatus;
  }
}
