package cn.gov.honghu.hub.support;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Valid test messages of every type (the test data's names, ID numbers and phones are fixed here,
 * so log-capturing tests can look for them).
 */
public final class Messages {

  public static final String SUSPECT_NAME = "张测试";
  public static final String SUSPECT_ID = "421083198001010013";
  public static final String SUSPECT_PHONE = "13812345678";
  public static final String COMPANY_CREDIT_CODE = "91421083MA4C1B2D3E";

  private static final AtomicLong CASES = new AtomicLong();

  /**
   * Always with seconds: OffsetDateTime.toString() drops ":00" seconds, which the schema refuses.
   */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  /** Now, in the hub's zone, as agencies write timestamps. */
  public static String now() {
    return OffsetDateTime.now(ZoneOffset.ofHours(8)).format(TIMESTAMP);
  }

  public static String minutesAgo(long minutes) {
    return OffsetDateTime.now(ZoneOffset.ofHours(8)).minusMinutes(minutes).format(TIMESTAMP);
  }

  private Messages() {}

  /** A case number no other test uses (tests share one database). */
  public static String newCaseNumber() {
    return "洪测〔2026〕"
        + UUID.randomUUID().toString().substring(0, 8)
        + "-"
        + CASES.incrementAndGet()
        + "号";
  }

  public static ObjectNode envelope(String type, String sender, String caseNumber) {
    ObjectNode message = HubClient.JSON.createObjectNode();
    message.put("messageId", UUID.randomUUID().toString());
    message.put("type", type);
    message.put("schemaVersion", "1");
    message.put("sender", sender);
    message.put("sentAt", now());
    if (caseNumber != null) {
      message.put("caseNumber", caseNumber);
    }
    message.set("payload", HubClient.JSON.createObjectNode());
    return message;
  }

  /** A valid message of the type; {@code addressee} is used by types that name one. */
  public static ObjectNode of(String type, String sender, String caseNumber, String addressee) {
    boolean alert =
        type.equals("FISHING_BAN_ALERT")
            || type.equals("ALERT_ACK")
            || type.equals("ALERT_ESCALATION");
    ObjectNode message = envelope(type, sender, alert ? null : caseNumber);
    ObjectNode p = (ObjectNode) message.get("payload");
    String unique = UUID.randomUUID().toString().substring(0, 8);
    switch (type) {
      case "CASE_TRANSFER" -> {
        p.put("transferNo", "洪移〔2026〕" + unique + "号");
        p.set("facts", facts());
        p.set("parties", parties());
        ArrayNode evidence = p.putArray("evidence");
        evidence.addObject().put("name", "电鱼器具一套").put("kind", "PHYSICAL");
        p.set("legalBasis", legalBasis());
        p.put("approvedAt", "2026-05-05T16:00:00+08:00");
      }
      case "ADMIN_PENALTY_DECISION" -> {
        p.put("decisionNo", "洪罚〔2026〕" + unique + "号");
        p.set("facts", facts());
        p.set("parties", parties());
        p.putObject("penalty").put("fineYuan", 5000);
        p.put("decidedAt", "2026-05-05T16:00:00+08:00");
        p.set("legalBasis", legalBasis());
      }
      case "FILING_DECISION" ->
          p.put("decision", "FILED").put("decidedAt", "2026-05-07T10:00:00+08:00");
      case "RECONSIDERATION_REQUEST" -> p.put("reason", "请求复议 " + unique);
      case "RECONSIDERATION_DECISION" -> p.put("decision", "UPHELD").put("reason", "维持 " + unique);
      case "SUPERVISION_NOTICE",
          "PROCURATORIAL_SUGGESTION",
          "ENFORCEMENT_SUPERVISION_NOTICE",
          "REVERSE_TRANSFER" -> {
        p.put("addressee", addressee);
        p.put("documentNo", "文书〔2026〕" + unique + "号");
        p.put("content", "内容 " + unique);
        if (type.equals("ENFORCEMENT_SUPERVISION_NOTICE")) {
          p.put("replyDueDate", "2026-12-31");
        }
      }
      case "INDICTMENT" -> {
        p.put("indictmentNo", "洪检诉〔2026〕" + unique + "号");
        p.putArray("defendants").add(SUSPECT_NAME);
        p.putArray("charges").add("非法捕捞水产品罪");
      }
      case "JUDGMENT" -> {
        p.put("judgmentNo", "洪刑初〔2026〕" + unique + "号");
        p.put("verdict", "有罪");
        p.putArray("sentences")
            .addObject()
            .put("party", SUSPECT_NAME)
            .put("penalty", "拘役三个月")
            .put("communityCorrection", false);
      }
      case "SUGGESTION_REPLY",
          "RECTIFICATION_REPLY",
          "REVERSE_TRANSFER_RESULT",
          "EVIDENCE_HANDOVER" -> {
        p.put("documentNo", "回复〔2026〕" + unique + "号");
        p.put("content", "内容 " + unique);
      }
      case "RETRACTION" ->
          p.put("retractedMessageId", UUID.randomUUID().toString()).put("reason", "误发");
      case "FISHING_BAN_ALERT" -> alertPayload(p, "ALERT-" + unique, "yangtze-honghu");
      case "ALERT_ACK" -> p.put("alertId", "ALERT-" + unique).put("action", "RECEIVED");
      case "TRANSFER_OMISSION_ALERT" -> {
        p.put("decisionMessageId", UUID.randomUUID().toString());
        p.putArray("clauses").add("FISH-1");
        p.putArray("legalBasis").add("Decree 310 Art. 11");
      }
      case "DEADLINE_OVERDUE" ->
          p.put("deadlineId", "D1")
              .put("owedBy", "police")
              .put("act", "FILING_DECISION")
              .put("dueAt", "2026-05-08T23:59:59+08:00");
      case "ALERT_ESCALATION" -> {
        p.put("incidentId", UUID.randomUUID().toString());
        p.put("waterArea", "yangtze-honghu");
        p.putArray("reports").addObject().put("messageId", UUID.randomUUID().toString());
        p.putArray("recipients").add("police");
      }
      default -> throw new IllegalArgumentException("unknown type " + type);
    }
    return message;
  }

  public static ObjectNode alert(String sender, String alertId, String waterArea) {
    ObjectNode message = envelope("FISHING_BAN_ALERT", sender, null);
    alertPayload((ObjectNode) message.get("payload"), alertId, waterArea);
    return message;
  }

  private static void alertPayload(ObjectNode p, String alertId, String waterArea) {
    p.put("alertId", alertId);
    p.put("waterArea", waterArea);
    p.put("lat", 29.7931);
    p.put("lon", 113.5102);
    p.put("observedAt", minutesAgo(3));
    p.put("kind", "ELECTRIC_FISHING");
    p.put("severity", "HIGH");
  }

  private static ObjectNode facts() {
    ObjectNode facts = HubClient.JSON.createObjectNode();
    facts.put("offence", "ILLEGAL_FISHING");
    facts.put("occurredAt", "2026-05-03T22:10:00+08:00");
    facts.put("waterArea", "yangtze-honghu");
    facts.put("method", "ELECTRIC");
    facts.put("catchKg", 36.5);
    return facts;
  }

  private static ArrayNode parties() {
    ArrayNode parties = HubClient.JSON.createArrayNode();
    parties
        .addObject()
        .put("role", "SUSPECT")
        .put("name", SUSPECT_NAME)
        .put("idNumber", SUSPECT_ID)
        .put("phone", SUSPECT_PHONE);
    return parties;
  }

  private static ArrayNode legalBasis() {
    ArrayNode basis = HubClient.JSON.createArrayNode();
    basis.addObject().put("law", "中华人民共和国渔业法").put("article", "30").put("version", "2013-12-28");
    return basis;
  }
}
