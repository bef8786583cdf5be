package cn.gov.honghu.hub.routing;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.alerts.AlertIndex;
import cn.gov.honghu.hub.alerts.AlertIndex.AlertView;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.cases.CaseView;
import cn.gov.honghu.hub.cases.CaseView.CaseMessage;
import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.message.Assessment;
import cn.gov.honghu.hub.message.MessageType;
import cn.gov.honghu.hub.message.Submission;
import cn.gov.honghu.hub.message.Submission.Raised;
import cn.gov.honghu.hub.message.Submission.RoutingDecision;
import cn.gov.honghu.hub.routing.RoutingRules.FlagSpec;
import cn.gov.honghu.hub.routing.RoutingRules.RaiseSpec;
import cn.gov.honghu.hub.routing.RoutingRules.RecipientSpec;
import cn.gov.honghu.hub.routing.RoutingRules.Rule;
import cn.gov.honghu.hub.web.ProblemException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Evaluates the routing rows: checks a message's preconditions (422 naming the row) and computes
 * its recipients. The named resolvers, preconditions and conditions below are the only Java the
 * rules file refers to; which of them applies to which type is data.
 */
public final class Router {

  /** A precondition: empty when met, otherwise the refusal. */
  private interface Precondition extends Function<RoutingContext, Optional<ProblemException>> {}

  /** A condition naming a threshold clause: {@code clause:TRADE-1}. */
  private static final String CLAUSE_CONDITION = "clause:";

  private final RoutingRules rules;
  private final AgencyRegistry agencies;
  private final CaseIndex cases;
  private final AlertIndex alerts;
  private final DeadlineBook deadlines;
  private final Map<String, Function<RoutingContext, List<String>>> resolvers;
  private final Map<String, Predicate<RoutingContext>> conditions;
  private final Map<String, Precondition> preconditions;
  private final Set<String> clauseIds;
  private final Clock clock;
  private final ZoneId zone;

  /**
   * @param clauseIds the threshold clause ids of the rules file, which {@code clause:<ID>}
   *     conditions may name
   * @param zone the hub's zone, in which dates are counted
   */
  public Router(
      RoutingRules rules,
      AgencyRegistry agencies,
      CaseIndex cases,
      AlertIndex alerts,
      DeadlineBook deadlines,
      Set<String> clauseIds,
      Clock clock,
      ZoneId zone) {
    this.rules = rules;
    this.agencies = agencies;
    this.cases = cases;
    this.alerts = alerts;
    this.deadlines = deadlines;
    this.clauseIds = Set.copyOf(clauseIds);
    this.clock = clock;
    this.zone = zone;
    this.resolvers =
        Map.of(
            "$transferring-agency", c -> optional(c.caseView().transferringAgency()),
            "$addressee",
                c ->
                    c.payloadText("addressee") == null
                        ? List.of()
                        : List.of(c.payloadText("addressee")),
            "$requester",
                c ->
                    optional(
                        c.caseView()
                            .latestOfType("RECONSIDERATION_REQUEST")
                            .map(CaseMessage::sender)),
            "$reverse-transfer-sender",
                c -> optional(reverseTransferTo(c).map(CaseMessage::sender)),
            "$water-area-subscribers", this::waterAreaSubscribers,
            "$alert-participants", Router::alertParticipants,
            "$retracted-recipients", Router::retractedRecipients);
    this.conditions =
        Map.of(
            "community-correction", Router::includesCommunityCorrection,
            "criminal-threshold-met", c -> c.message().assessment().thresholdMet(),
            "no-case-transfer", c -> c.caseView().latestOfType("CASE_TRANSFER").isEmpty(),
            "citation-outdated", c -> c.message().assessment().citationOutdated(),
            "copy-late", this::copyIsLate);
    this.preconditions =
        Map.ofEntries(
            Map.entry(
                "police-received-case",
                c ->
                    refuseUnless(
                        c.caseView().policeReceived(),
                        "the police never received this case (no CASE_TRANSFER and no copied penalty decision)")),
            Map.entry(
                "not-filed-decision",
                c ->
                    refuseUnless(
                        c.caseView()
                            .latestOfType("FILING_DECISION")
                            .filter(m -> "NOT_FILED".equals(m.decision()))
                            .isPresent(),
                        "there is no NOT_FILED filing decision for this case")),
            Map.entry(
                "sender-is-transferring-agency",
                c ->
                    refuseUnless(
                        c.caseView().transferringAgency().filter(c.sender()::equals).isPresent(),
                        "only the agency that transferred the case may send this")),
            Map.entry(
                "reconsideration-request",
                c ->
                    refuseUnless(
                        c.caseView().latestOfType("RECONSIDERATION_REQUEST").isPresent(),
                        "there is no reconsideration request for this case")),
            Map.entry(
                "suggestion-to-sender",
                c ->
                    refuseUnless(
                        addressedTo(c, "PROCURATORIAL_SUGGESTION").isPresent(),
                        "there is no procuratorial suggestion to the sender in this case")),
            Map.entry(
                "notice-to-sender",
                c ->
                    refuseUnless(
                        addressedTo(c, "ENFORCEMENT_SUPERVISION_NOTICE").isPresent(),
                        "there is no enforcement supervision notice to the sender in this case")),
            Map.entry(
                "reverse-transfer-to-sender",
                c ->
                    refuseUnless(
                        reverseTransferTo(c).isPresent(),
                        "there is no reverse transfer to the sender in this case")),
            Map.entry(
                "addressee-administrative",
                c ->
                    refuseUnless(
                        agency(c.payloadText("addressee"))
                            .filter(Agency::isAdministrative)
                            .isPresent(),
                        "the addressee must be an administrative agency")),
            Map.entry(
                "addressee-police-or-administrative",
                c ->
                    refuseUnless(
                        "police".equals(c.payloadText("addressee"))
                            || agency(c.payloadText("addressee"))
                                .filter(Agency::isAdministrative)
                                .isPresent(),
                        "the addressee must be the police or an administrative agency")),
            Map.entry(
                "reconsideration-window-open",
                c ->
                    refuseUnless(
                        deadlines.isOpen(c.message().caseKey(), "D2", clock.instant()),
                        "the 3-day window for a reconsideration request (D2) is not open")),
            Map.entry("retracts-own-message", Router::retractsOwnMessage),
            Map.entry(
                "known-alert",
                c -> refuseUnless(c.alert().isPresent(), "no alert or incident with this id")),
            Map.entry("closer-is-participant", Router::closerIsParticipant));
    checkReferences();
  }

  /** The rule for a type; hub-generated types and types without a row have none. */
  public Optional<Rule> ruleFor(MessageType type) {
    return type.isHubGenerated() ? Optional.empty() : rules.forType(type.name());
  }

  public RoutingRules rules() {
    return rules;
  }

  public RoutingDecision route(Submission message) {
    Rule rule =
        ruleFor(message.type())
            .orElseThrow(() -> new IllegalStateException("no routing rule for an authorised type"));
    CaseView caseView =
        message.caseKey() == null ? CaseView.none(null) : cases.load(message.caseKey());
    Optional<AlertView> alert =
        message.type() == MessageType.ALERT_ACK
            ? alerts.find(text(message.payload(), "alertId"), text(message.payload(), "incidentId"))
            : Optional.empty();
    RoutingContext context = new RoutingContext(message, caseView, alert);
    for (String name : rule.requires()) {
      Optional<ProblemException> refusal = preconditions.get(name).apply(context);
      if (refusal.isPresent()) {
        ProblemException problem = refusal.get();
        if (problem.status() == 422) {
          problem.with("rule", rule.id()).with("condition", name);
        }
        throw problem;
      }
    }
    List<String> recipients = recipients(rule.recipients(), context);
    if (recipients.isEmpty()) {
      throw caseRule(rule.id(), "the message would have no recipient")
          .with("condition", "has-recipient");
    }
    Assessment assessment = message.assessment();
    Set<String> flags = new LinkedHashSet<>(assessment.flags());
    for (FlagSpec flag : rule.flags()) {
      if (holds(flag.when(), context)) {
        flags.add(flag.flag());
      }
    }
    List<Raised> raised = new ArrayList<>();
    for (RaiseSpec raise : rule.raises()) {
      if (holds(raise.when(), context)) {
        raised.add(
            new Raised(
                MessageType.valueOf(raise.type()),
                recipients(raise.recipients(), context),
                rule.id(),
                raise.basis()));
      }
    }
    return new RoutingDecision(
        recipients,
        List.of(rule.id()),
        assessment.clauses(),
        List.copyOf(flags),
        assessment.factSources(),
        raised);
  }

  /** The recipients whose conditions hold, resolved, without the sender (never its own). */
  private List<String> recipients(List<RecipientSpec> specs, RoutingContext context) {
    Set<String> recipients = new LinkedHashSet<>();
    for (RecipientSpec spec : specs) {
      if (!holds(spec.when(), context)) {
        continue;
      }
      recipients.addAll(
          spec.agency().startsWith("$")
              ? resolvers.get(spec.agency()).apply(context)
              : List.of(spec.agency()));
    }
    recipients.remove(context.sender());
    return List.copyOf(recipients);
  }

  private boolean holds(List<String> when, RoutingContext context) {
    for (String name : when) {
      boolean met =
          name.startsWith(CLAUSE_CONDITION)
              ? context
                  .message()
                  .assessment()
                  .clauses()
                  .contains(name.substring(CLAUSE_CONDITION.length()))
              : conditions.get(name).test(context);
      if (!met) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the hub receives a penalty decision more than the allowed days after it was decided
   * (THRESHOLDS.md: receipt date minus decision date, both in the hub's zone, over ten).
   */
  private boolean copyIsLate(RoutingContext context) {
    String decidedAt = context.payloadText("decidedAt");
    if (decidedAt == null) {
      return false;
    }
    try {
      LocalDate decided = OffsetDateTime.parse(decidedAt).atZoneSameInstant(zone).toLocalDate();
      LocalDate received = LocalDate.ofInstant(clock.instant(), zone);
      return ChronoUnit.DAYS.between(decided, received) > rules.penaltyCopyWithinDays();
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private void checkReferences() {
    for (Rule rule : rules.all()) {
      String where = "rules row " + rule.id();
      if (MessageType.parse(rule.type()).isEmpty()) {
        throw new IllegalArgumentException(where + ": unknown type " + rule.type());
      }
      for (String name : rule.requires()) {
        if (!preconditions.containsKey(name)) {
          throw new IllegalArgumentException(where + ": unknown precondition " + name);
        }
      }
      for (RecipientSpec spec : rule.recipients()) {
        checkRecipient(where, spec);
        checkConditions(where, spec.when());
      }
      for (FlagSpec flag : rule.flags()) {
        if (!flag.flag().matches("^[A-Z][A-Z0-9_]*$")) {
          throw new IllegalArgumentException(where + ": flag must be UPPER_SNAKE: " + flag.flag());
        }
        checkConditions(where, flag.when());
      }
      for (RaiseSpec raise : rule.raises()) {
        if (MessageType.parse(raise.type()).filter(MessageType::isHubGenerated).isEmpty()) {
          throw new IllegalArgumentException(
              where + ": raises " + raise.type() + ", which is not a hub-generated type");
        }
        checkConditions(where, raise.when());
        for (RecipientSpec spec : raise.recipients()) {
          checkRecipient(where, spec);
        }
      }
      for (String sender : rule.senders()) {
        if (!Set.of("any", "administrative", "judicial").contains(sender)
            && agencies.find(sender).isEmpty()) {
          throw new IllegalArgumentException(where + ": unknown sender " + sender);
        }
      }
    }
  }

  private void checkRecipient(String where, RecipientSpec spec) {
    if (spec.agency().startsWith("$") && !resolvers.containsKey(spec.agency())) {
      throw new IllegalArgumentException(where + ": unknown recipient " + spec.agency());
    }
    if (!spec.agency().startsWith("$") && agencies.find(spec.agency()).isEmpty()) {
      throw new IllegalArgumentException(
          where + ": recipient " + spec.agency() + " is not a configured agency (hub.agencies)");
    }
  }

  private void checkConditions(String where, List<String> when) {
    for (String name : when) {
      boolean known =
          name.startsWith(CLAUSE_CONDITION)
              ? clauseIds.contains(name.substring(CLAUSE_CONDITION.length()))
              : conditions.containsKey(name);
      if (!known) {
        throw new IllegalArgumentException(where + ": unknown condition " + name);
      }
    }
  }

  private Optional<Agency> agency(String code) {
    return code == null ? Optional.empty() : agencies.find(code);
  }

  private List<String> waterAreaSubscribers(RoutingContext context) {
    String area = context.payloadText("waterArea");
    List<String> subscribers = new ArrayList<>();
    for (Agency agency : agencies.all()) {
      if (agency.waterAreas().contains(area)) {
        subscribers.add(agency.code());
      }
    }
    return subscribers;
  }

  private static List<String> alertParticipants(RoutingContext context) {
    List<String> participants = new ArrayList<>();
    context
        .alert()
        .ifPresent(
            a -> {
              participants.add(a.sender());
              participants.addAll(a.recipients());
            });
    return participants;
  }

  private static List<String> retractedRecipients(RoutingContext context) {
    return context
        .caseView()
        .find(context.payloadText("retractedMessageId"))
        .map(CaseMessage::recipients)
        .orElse(List.of());
  }

  /**
   * Only the incident's originator and its recipients may close it (HUB-SPEC section 8): an agency
   * that is no party to an incident is refused like one that is no party to a case, 403.
   */
  private static Optional<ProblemException> closerIsParticipant(RoutingContext context) {
    if (!"CLOSED".equals(context.payloadText("action"))) {
      return Optional.empty();
    }
    return context
        .alert()
        .filter(alert -> !alert.mayClose(context.sender()))
        .map(
            alert ->
                ProblemException.forbidden(
                    "only the incident's originator and its recipients may close it"));
  }

  private static Optional<ProblemException> retractsOwnMessage(RoutingContext context) {
    Optional<CaseMessage> target =
        context.caseView().find(context.payloadText("retractedMessageId"));
    if (target.isEmpty()) {
      return Optional.of(caseRule(null, "the retracted message is not a message of this case"));
    }
    if (!target.get().sender().equals(context.sender())) {
      return Optional.of(ProblemException.forbidden("an agency may retract only its own messages"));
    }
    if (target.get().retracted()) {
      return Optional.of(caseRule(null, "the message is already retracted"));
    }
    return Optional.empty();
  }

  private static boolean includesCommunityCorrection(RoutingContext context) {
    for (JsonNode sentence : context.message().payload().path("sentences")) {
      if (sentence.path("communityCorrection").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<CaseMessage> addressedTo(RoutingContext context, String type) {
    return context
        .caseView()
        .latest(m -> m.type().equals(type) && context.sender().equals(m.addressee()));
  }

  private static Optional<CaseMessage> reverseTransferTo(RoutingContext context) {
    return addressedTo(context, "REVERSE_TRANSFER");
  }

  private static List<String> optional(Optional<String> value) {
    return value.map(List::of).orElse(List.of());
  }

  private static String text(JsonNode payload, String field) {
    JsonNode value = payload.get(field);
    return value != null && value.isString() ? value.stringValue() : null;
  }

  private static Optional<ProblemException> refuseUnless(boolean met, String detail) {
    return met ? Optional.empty() : Optional.of(caseRule(null, detail));
  }

  static ProblemException caseRule(String ruleId, String detail) {
    ProblemException problem = new ProblemException(422, "case-rule", "Case rule violated", detail);
    if (ruleId != null) {
      problem.with("rule", ruleId);
    }
    return problem;
  }
}
