package cn.gov.honghu.hub.thresholds;

import cn.gov.honghu.hub.legal.CitationCheck;
import cn.gov.honghu.hub.message.Assessment;
import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.parties.PartyHistory;
import cn.gov.honghu.hub.parties.PartyKeys;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assesses a message before it is routed (THRESHOLDS.md): which threshold clauses its {@code
 * payload.facts} meet, which flags it raises, and whether its {@code legalBasis} cites superseded
 * law. The hub supplies facts the sender may not know:
 *
 * <ul>
 *   <li>{@code inBanZone} / {@code inBanPeriod} from the ban calendar of {@code waterArea} at
 *       {@code occurredAt} (a derived true holds whatever the sender sent; a sender's true is
 *       kept);
 *   <li>{@code priorPenaltiesWithin2Years} from the hub's own party history, when the sender did
 *       not state it: penalty decisions for the same offence against the same suspect or company,
 *       from any agency, decided in the two years up to the act, in other cases.
 * </ul>
 *
 * Where each supplied fact came from is recorded in {@link Assessment#factSources()}.
 */
public final class CaseAssessor {

  static final String PRIOR_PENALTIES = "priorPenaltiesWithin2Years";
  static final String SENDER = "sender";
  static final String BAN_CALENDAR = "ban-calendar";
  static final String PARTY_HISTORY = "hub-party-history";

  private final ThresholdRules rules;
  private final ThresholdEvaluator evaluator;
  private final BanCalendar calendar;
  private final CitationCheck citations;
  private final PartyKeys partyKeys;
  private final PartyHistory history;
  private final Clock clock;
  private final ZoneId zone;

  public CaseAssessor(
      ThresholdRules rules,
      BanCalendar calendar,
      CitationCheck citations,
      PartyKeys partyKeys,
      PartyHistory history,
      Clock clock,
      ZoneId zone) {
    this.rules = rules;
    this.evaluator = new ThresholdEvaluator(rules);
    this.calendar = calendar;
    this.citations = citations;
    this.partyKeys = partyKeys;
    this.history = history;
    this.clock = clock;
    this.zone = zone;
  }

  public Assessment assess(Submission message) {
    JsonNode payload = message.payload();
    JsonNode facts = payload.get("facts");
    JsonNode legalBasis = payload.get("legalBasis");
    boolean hasFacts = facts != null && facts.isObject();
    if (!hasFacts && (legalBasis == null || !legalBasis.isArray())) {
      return Assessment.NONE;
    }
    LocalDate actDate = actDate(message, facts);
    List<String> clauses = List.of();
    List<String> flags = new ArrayList<>();
    Map<String, String> factSources = new LinkedHashMap<>();
    Map<String, String> clauseSources = new LinkedHashMap<>();
    if (hasFacts) {
      ObjectNode effective = ((ObjectNode) facts).deepCopy();
      Derived derived =
          calendar.derive(text(facts, "waterArea"), timestamp(facts, "occurredAt").orElse(null));
      supplyBanFact(effective, "inBanZone", derived.inBanZone(), factSources);
      supplyBanFact(effective, "inBanPeriod", derived.inBanPeriod(), factSources);
      supplyPriorPenalties(message, effective, actDate, factSources);
      Evaluation evaluation = evaluator.evaluate(effective, Derived.NONE);
      clauses = evaluation.clauses();
      flags.addAll(evaluation.flags());
      for (String clause : clauses) {
        clauseSources.put(clause, rules.clause(clause).source());
      }
    }
    CitationCheck.Result cited = citations.check(legalBasis, actDate);
    flags.addAll(cited.flags());
    return new Assessment(
        clauses, flags, factSources, clauseSources, cited.hasFlag(CitationCheck.OUTDATED));
  }

  /**
   * Adds an accepted penalty decision to the party history, so that later cases of the same
   * parties, from any agency, can count it. Call in the accepting transaction.
   */
  public void recordPenalty(Submission message) {
    if (message.type() != MessageType.ADMIN_PENALTY_DECISION) {
      return;
    }
    JsonNode payload = message.payload();
    String offence = text(payload.path("facts"), "offence");
    Optional<OffsetDateTime> decidedAt = timestamp(payload, "decidedAt");
    Set<String> keys = partyKeys.keysOf(payload.get("parties"));
    if (offence == null || decidedAt.isEmpty() || keys.isEmpty()) {
      return;
    }
    history.recordPenalty(
        keys,
        offence,
        decidedAt.get().atZoneSameInstant(zone).toLocalDate(),
        message.messageId(),
        message.caseKey(),
        message.sender());
  }

  private static void supplyBanFact(
      ObjectNode facts, String fact, boolean derived, Map<String, String> sources) {
    JsonNode sent = facts.get(fact);
    if (sent != null && sent.isBoolean() && sent.booleanValue()) {
      return;
    }
    if (derived) {
      facts.put(fact, true);
      sources.put(fact, BAN_CALENDAR);
    }
  }

  private void supplyPriorPenalties(
      Submission message, ObjectNode facts, LocalDate actDate, Map<String, String> sources) {
    JsonNode stated = facts.get(PRIOR_PENALTIES);
    if (stated != null && !stated.isNull()) {
      sources.put(PRIOR_PENALTIES, SENDER);
      return;
    }
    String offence = text(facts, "offence");
    Set<String> keys = partyKeys.keysOf(message.payload().get("parties"));
    if (offence == null || keys.isEmpty()) {
      return;
    }
    int prior =
        history.priorPenalties(keys, offence, actDate.minusYears(2), actDate, message.caseKey());
    sources.put(PRIOR_PENALTIES, PARTY_HISTORY);
    if (prior > 0) {
      facts.put(PRIOR_PENALTIES, prior);
    }
  }

  /**
   * The date of the act in the hub's zone: {@code facts.occurredAt}, else the message's {@code
   * sentAt} (THRESHOLDS.md "Legal citations"), else today.
   */
  private LocalDate actDate(Submission message, JsonNode facts) {
    return timestamp(facts, "occurredAt")
        .or(() -> timestamp(message.envelope(), "sentAt"))
        .map(at -> at.atZoneSameInstant(zone).toLocalDate())
        .orElseGet(() -> LocalDate.ofInstant(clock.instant(), zone));
  }

  private static Optional<OffsetDateTime> timestamp(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
