package cn.gov.honghu.hub.store;

import cn.gov.honghu.hub.audit.AuditTrail;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The append-only lifecycle event table. Writers join the caller's transaction, so an accepted
 * message's events commit with it. Details are written by the hub (ids, codes, statuses): never
 * payload content.
 */
public final class EventLog {

  /**
   * The lifecycle events of HUB-SPEC section 10; PUBLISHED is a push delivery handed to the broker
   * by the outbox relay.
   */
  public enum Kind {
    RECEIVED,
    REFUSED,
    ACCEPTED,
    ROUTED,
    DUPLICATE,
    PUBLISHED,
    DELIVERED,
    ACKNOWLEDGED,
    /** A CASE_TRANSFER remedied a 以罚代刑 omission; message_id is the omission alert. */
    OMISSION_REMEDIED,
    /** A push delivery used up its attempts or was refused: it is in the failed store. */
    FAILED,
    /** An admin replayed a failed delivery (same deliveryId). */
    REPLAYED,
    /** An admin discarded a failed delivery, with a reason. */
    DISCARDED,
    /** A retention run (HUB-SPEC section 11): agency is who started it, detail its counts. */
    RETENTION_RUN
  }

  /** One event to append; {@code caseNumber} goes to the audit chain only (null where unknown). */
  public record Event(
      Kind kind,
      String agency,
      String messageId,
      String deliveryId,
      Integer status,
      String detail,
      String caseNumber) {

    public Event(
        Kind kind,
        String agency,
        String messageId,
        String deliveryId,
        Integer status,
        String detail) {
      this(kind, agency, messageId, deliveryId, status, detail, null);
    }
  }

  private static final String INSERT =
      "INSERT INTO hub_event (at, kind, agency, message_id, delivery_id, status, detail)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final StatCounters counters;
  private final AuditTrail audit;

  public EventLog(JdbcTemplate jdbc, Clock clock, AuditTrail audit) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.counters = new StatCounters(jdbc);
    this.audit = audit;
  }

  public void append(Event event) {
    append(List.of(event));
  }

  public void append(List<Event> events) {
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.batchUpdate(
        INSERT,
        events,
        events.size(),
        (ps, e) -> {
          ps.setTimestamp(1, now);
          ps.setString(2, e.kind().name());
          ps.setString(3, e.agency());
          ps.setString(4, e.messageId());
          ps.setString(5, e.deliveryId());
          if (e.status() == null) {
            ps.setNull(6, java.sql.Types.INTEGER);
          } else {
            ps.setInt(6, e.status());
          }
          ps.setString(7, e.detail());
        });
    // Refusals per agency for the admin statistics, in the same transaction as their events.
    Map<String, Long> refused =
        events.stream()
            .filter(e -> e.kind() == Kind.REFUSED && e.agency() != null)
            .collect(Collectors.groupingBy(Event::agency, Collectors.counting()));
    counters.addAll(refused, StatCounters.REJECTED);
    // Every lifecycle event is also an entry of the audit chain, which retention never purges.
    audit.record(events.stream().map(EventLog::auditEntry).toList());
  }

  /**
   * The chain's view of an event: what the hub did by itself (routing, pushing, failing) has the
   * hub as its actor and the recipient as the agency concerned; the rest was done by the agency or
   * admin named.
   */
  private static AuditTrail.Entry auditEntry(Event e) {
    boolean byHub =
        switch (e.kind()) {
          case ROUTED, PUBLISHED, DELIVERED, FAILED, OMISSION_REMEDIED -> true;
          default -> false;
        };
    StringBuilder detail = new StringBuilder();
    if (e.deliveryId() != null) {
      detail.append("deliveryId=").append(e.deliveryId());
    }
    if (e.status() != null) {
      detail.append(detail.isEmpty() ? "" : " ").append("status=").append(e.status());
    }
    if (e.detail() != null) {
      detail.append(detail.isEmpty() ? "" : " ").append(e.detail());
    }
    return new AuditTrail.Entry(
        AuditTrail.Kind.valueOf(e.kind().name()),
        byHub ? AuditTrail.HUB : e.agency(),
        e.messageId(),
        e.caseNumber(),
        e.agency(),
        detail.isEmpty() ? null : detail.toString());
  }
}
