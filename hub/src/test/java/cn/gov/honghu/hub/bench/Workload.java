package cn.gov.honghu.hub.bench;

import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.Messages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark's message mix, as the nine agencies would post it: case chains that respect the
 * routing and case rules (a FILING_DECISION only from the police and only after a CASE_TRANSFER of
 * its case, later messages only from parties of the case), stand-alone penalty decisions and some
 * fishing-ban alerts. Every body is about {@link #TARGET_BYTES} of UTF-8 JSON with Chinese text.
 *
 * <p>Chains advance only on a 202: the next step of a chain is queued when its previous message was
 * accepted, and {@link #next()} hands out queued follow-ups before it opens new chains.
 * Thread-safe.
 *
 * <p>With the weights below (13 starts make 32 messages) the mix is 25% CASE_TRANSFER, 25%
 * FILING_DECISION, 28% ADMIN_PENALTY_DECISION, 6% INDICTMENT, 6% JUDGMENT and 9% FISHING_BAN_ALERT,
 * on average two recipients per message.
 */
final class Workload {

  /** Approximate size of every posted body, in bytes of UTF-8 JSON. */
  static final int TARGET_BYTES = 2048;

  /** Administrative agencies that transfer cases and decide penalties (justice receives them). */
  static final List<String> ENFORCERS =
      List.of("environment", "agriculture", "natural-resources", "water", "market");

  static final List<String> AGENCIES =
      List.of(
          "police",
          "procuratorate",
          "court",
          "justice",
          "environment",
          "agriculture",
          "natural-resources",
          "water",
          "market");

  /** One message to post. */
  record Task(String sender, String type, String messageId, byte[] body, Chain chain) {
    boolean isAlert() {
      return "FISHING_BAN_ALERT".equals(type);
    }
  }

  /** The kinds of chain, with their weights among new starts. */
  enum Shape {
    /** CASE_TRANSFER, FILING_DECISION (FILED), ADMIN_PENALTY_DECISION, INDICTMENT, JUDGMENT. */
    PROSECUTED(2),
    /** CASE_TRANSFER, FILING_DECISION (NOT_FILED), ADMIN_PENALTY_DECISION. */
    NOT_FILED(5),
    /** CASE_TRANSFER by the justice bureau, FILING_DECISION (FILED). */
    JUSTICE_TRANSFER(1),
    /** ADMIN_PENALTY_DECISION on a new case, below every criminal threshold. */
    PENALTY_ONLY(2),
    /** FISHING_BAN_ALERT from any member agency. */
    ALERT(3);

    final int weight;

    Shape(int weight) {
      this.weight = weight;
    }
  }

  /** A case's messages, posted one after the other as each is accepted. */
  static final class Chain {
    final Shape shape;
    final String caseNumber;
    final String transferring;
    int step;

    /** The suspect's resident id of this case; null for the shared suspect of the fixtures. */
    String suspectId;

    Chain(Shape shape, String caseNumber, String transferring) {
      this.shape = shape;
      this.caseNumber = caseNumber;
      this.transferring = transferring;
    }
  }

  private static final int TOTAL_WEIGHT =
      Arrays.stream(Shape.values()).mapToInt(s -> s.weight).sum();

  private static final String[] ALERT_KINDS = {
    "ELECTRIC_FISHING", "NET_IN_BAN_ZONE", "NIGHT_VESSEL", "ILLEGAL_SALE"
  };
  private static final String[] SEVERITIES = {"LOW", "MEDIUM", "HIGH", "CRITICAL"};

  /** Narrative text the payloads are padded with (a fictitious case, no real personal data). */
  private static final String NARRATIVE =
      "经查，当事人于禁捕期间在长江洪湖段新堤夹水域驾驶无名铁壳船一艘，使用电鱼器具（逆变器、电瓶、抄网）"
          + "非法捕捞水产品，现场查获渔获物鲫鱼、鲤鱼、黄颡鱼等共计三十六点五公斤，经渔政执法人员称重、拍照、"
          + "录像固定证据，并制作现场检查笔录和询问笔录。当事人对上述违法事实供认不讳。执法人员当场扣押电鱼器具"
          + "一套、船只一艘，渔获物已作无害化处理。经初步审查，当事人在禁捕区域、禁捕期间使用禁用方法捕捞，"
          + "涉嫌构成非法捕捞水产品罪，依照《行政执法机关移送涉嫌犯罪案件的规定》第三条之规定，应当向公安机关移送。"
          + "同时查明，当事人曾于两年内因同类行为受过行政处罚，另有同伙驾驶快艇在附近水域望风，案件线索已一并移交。"
          + "洪湖湿地是国家级自然保护区，长江十年禁渔期间，联合执法机制要求各成员单位及时通报、共同研判、依法衔接。"
          + "本案涉案物品清单、现场照片、执法记录仪视频、渔获物称重记录、询问笔录等证据材料随案移送，请依法审查。"
          + "如需补充调查，请在收到移送材料之日起三日内书面告知，我局将积极配合，做好证据交接和涉案物品移交工作。";

  private static final AtomicLong CASES = new AtomicLong();

  private final String runTag;
  private final Queue<Task> followUps = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean firstAlert = new AtomicBoolean();

  /**
   * Whether each case has a suspect of its own. The load phases keep the fixtures' one suspect (so
   * their figures stay comparable with earlier runs); the history preload gives every case its own,
   * as a county's history has: a million penalties of one person would make every later penalty
   * decision count them all (the party-history check), which no real history does.
   */
  private final boolean distinctSuspects;

  private static final AtomicLong SUSPECTS = new AtomicLong();

  /** {@code runTag} makes case numbers unique across runs that share a database. */
  Workload(String runTag) {
    this(runTag, false);
  }

  Workload(String runTag, boolean distinctSuspects) {
    this.runTag = runTag;
    this.distinctSuspects = distinctSuspects;
  }

  /** The next message to post: a queued follow-up of an accepted message, else a new start. */
  Task next() {
    Task followUp = followUps.poll();
    if (followUp != null) {
      return followUp;
    }
    // the first new start is an alert, so even a tiny run measures the priority lane
    return start(firstAlert.compareAndSet(false, true) ? Shape.ALERT : pickShape());
  }

  /** Queues the next step of the task's chain; call when the task was answered 202. */
  void accepted(Task task) {
    Chain chain = task.chain();
    if (chain == null) {
      return;
    }
    Task next;
    synchronized (chain) {
      chain.step++;
      next = step(chain);
    }
    if (next != null) {
      followUps.add(next);
    }
  }

  /** A sample of bodies of the same mix (first steps and follow-ups), for the broker ceiling. */
  List<byte[]> sampleBodies(int count) {
    ArrayList<byte[]> bodies = new ArrayList<>(count);
    while (bodies.size() < count) {
      Task task = next();
      bodies.add(task.body());
      accepted(task);
    }
    followUps.clear();
    return bodies;
  }

  private static Shape pickShape() {
    int pick = ThreadLocalRandom.current().nextInt(TOTAL_WEIGHT);
    for (Shape shape : Shape.values()) {
      pick -= shape.weight;
      if (pick < 0) {
        return shape;
      }
    }
    throw new IllegalStateException();
  }

  private Task start(Shape shape) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (shape == Shape.ALERT) {
      String area = random.nextInt(4) == 0 ? "honghu-lake" : "yangtze-honghu";
      return alert(AGENCIES.get(random.nextInt(AGENCIES.size())), area);
    }
    String transferring =
        shape == Shape.JUSTICE_TRANSFER
            ? "justice"
            : ENFORCERS.get(random.nextInt(ENFORCERS.size()));
    Chain chain = new Chain(shape, newCaseNumber(), transferring);
    if (distinctSuspects) {
      chain.suspectId = residentId(SUSPECTS.incrementAndGet());
    }
    synchronized (chain) {
      return step(chain);
    }
  }

  /** The chain's current step, or null when the chain is complete. */
  private Task step(Chain chain) {
    String c = chain.caseNumber;
    String a = chain.transferring;
    return switch (chain.shape) {
      case PROSECUTED ->
          switch (chain.step) {
            case 0 -> caseTransfer(chain, c, a);
            case 1 -> filingDecision(chain, true);
            case 2 -> penaltyDecision(chain, a, c, false);
            case 3 -> task(chain, Messages.of("INDICTMENT", "procuratorate", c, null));
            case 4 -> task(chain, Messages.of("JUDGMENT", "court", c, null));
            default -> null;
          };
      case NOT_FILED ->
          switch (chain.step) {
            case 0 -> caseTransfer(chain, c, a);
            case 1 -> filingDecision(chain, false);
            case 2 -> penaltyDecision(chain, a, c, false);
            default -> null;
          };
      case JUSTICE_TRANSFER ->
          switch (chain.step) {
            case 0 -> caseTransfer(chain, c, a);
            case 1 -> filingDecision(chain, true);
            default -> null;
          };
      case PENALTY_ONLY -> chain.step == 0 ? penaltyDecision(chain, a, c, true) : null;
      case ALERT -> null;
    };
  }

  /** A CASE_TRANSFER by a random enforcer that opens a new case; it has no follow-ups. */
  Task transfer() {
    String sender = ENFORCERS.get(ThreadLocalRandom.current().nextInt(ENFORCERS.size()));
    return caseTransfer(null, newCaseNumber(), sender);
  }

  /** A FISHING_BAN_ALERT by the sender in the water area, at a random position on it. */
  Task alert(String sender, String waterArea) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    ObjectNode message =
        Messages.alert(sender, "ALERT-" + UUID.randomUUID().toString().substring(0, 13), waterArea);
    ObjectNode payload = (ObjectNode) message.get("payload");
    payload.put("lat", 29.70 + random.nextDouble(0.2));
    payload.put("lon", 113.30 + random.nextDouble(0.4));
    payload.put("kind", ALERT_KINDS[random.nextInt(ALERT_KINDS.length)]);
    payload.put("severity", SEVERITIES[random.nextInt(SEVERITIES.length)]);
    return pad(null, message, "description");
  }

  private Task caseTransfer(Chain chain, String caseNumber, String sender) {
    ObjectNode message = Messages.of("CASE_TRANSFER", sender, caseNumber, null);
    ObjectNode payload = (ObjectNode) message.get("payload");
    ObjectNode facts = (ObjectNode) payload.get("facts");
    facts.put("lat", 29.81).put("lon", 113.47).put("catchValueYuan", 1460);
    facts.put("place", "长江洪湖段新堤夹水域");
    ((tools.jackson.databind.node.ArrayNode) payload.get("evidence"))
        .addObject()
        .put("name", "现场执法记录仪视频")
        .put("kind", "VIDEO");
    return task(chain, message);
  }

  private Task filingDecision(Chain chain, boolean filed) {
    ObjectNode message = Messages.of("FILING_DECISION", "police", chain.caseNumber, null);
    if (!filed) {
      ((ObjectNode) message.get("payload"))
          .put("decision", "NOT_FILED")
          .put("reason", "经审查，现有证据不足以证明达到刑事立案追诉标准，不予立案，退回移送机关依法处理。");
    }
    return task(chain, message);
  }

  private Task penaltyDecision(Chain chain, String sender, String caseNumber, boolean minor) {
    ObjectNode message = Messages.of("ADMIN_PENALTY_DECISION", sender, caseNumber, null);
    if (minor) {
      // Legal gear, outside the lake's closed season, a small catch: no criminal clause is met,
      // so the decision goes to the justice bureau only (rule T2 without copies).
      ObjectNode facts = HubClient.JSON.createObjectNode();
      facts.put("offence", "ILLEGAL_FISHING");
      facts.put("occurredAt", "2026-10-12T07:20:00+08:00");
      facts.put("waterArea", "honghu-lake");
      facts.put("method", "LEGAL_NET");
      facts.put("catchKg", 6.5);
      facts.put("catchValueYuan", 180);
      ((ObjectNode) message.get("payload")).set("facts", facts);
    }
    return task(chain, message);
  }

  private Task task(Chain chain, ObjectNode message) {
    if (chain != null
        && chain.suspectId != null
        && message.get("payload").get("parties") instanceof ArrayNode parties) {
      for (tools.jackson.databind.JsonNode party : parties) {
        if (party instanceof ObjectNode p && p.has("idNumber")) {
          p.put("idNumber", chain.suspectId);
        }
      }
    }
    return pad(chain, message, "summary");
  }

  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

  /**
   * The n-th of distinct valid resident ids (GB 11643: area 421083, a birth date from 1950 on, a
   * sequence number, the mod 11-2 check character): a thousand per birth date.
   */
  static String residentId(long n) {
    java.time.LocalDate born = java.time.LocalDate.of(1950, 1, 1).plusDays(n / 1000);
    String body =
        "421083"
            + born.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
            + String.format(java.util.Locale.ROOT, "%03d", n % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (body.charAt(i) - '0') * ID_WEIGHTS[i];
    }
    return body + "10X98765432".charAt(sum % 11);
  }

  /** Pads the payload with Chinese narrative text to about {@link #TARGET_BYTES}. */
  private static Task pad(Chain chain, ObjectNode message, String field) {
    ObjectNode payload = (ObjectNode) message.get("payload");
    payload.put(field, "");
    int size = HubClient.JSON.writeValueAsBytes(message).length;
    int chars = Math.max(1, (TARGET_BYTES - size) / 3); // a CJK character is 3 bytes in UTF-8
    int offset = ThreadLocalRandom.current().nextInt(NARRATIVE.length());
    StringBuilder text = new StringBuilder(chars);
    while (text.length() < chars) {
      int end = Math.min(NARRATIVE.length(), offset + chars - text.length());
      text.append(NARRATIVE, offset, end);
      offset = 0;
    }
    payload.put(field, text.toString());
    byte[] body = HubClient.JSON.writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
    return new Task(
        message.get("sender").asString(),
        message.get("type").asString(),
        message.get("messageId").asString(),
        body,
        chain);
  }

  private String newCaseNumber() {
    return "洪联〔2026〕" + runTag + "-" + CASES.incrementAndGet() + "号";
  }
}
