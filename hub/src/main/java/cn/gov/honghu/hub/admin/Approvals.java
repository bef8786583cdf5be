package cn.gov.honghu.hub.admin;

import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.delivery.FailedDeliveries;
import cn.gov.honghu.hub.web.ProblemException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Four eyes (HUB-SPEC section 11): a batch replay that matches more than the threshold is stored as
 * a pending approval with the ids of the deliveries it matched, and changes nothing until a
 * different admin approves it; any admin may reject it (the requester too, to withdraw it).
 *
 * <p>An approval replays the deliveries matched at request time that are still failed, never what
 * the filter would match later: the second admin approves what the first one saw and counted, not
 * failures that came in between. Important: the state moves only by a conditional update ({@code
 * WHERE state = 'PENDING'}), and the replays run in the same transaction, so two admins approving
 * at once replay once and a crash half-way replays nothing and leaves the approval pending.
 */
public final class Approvals {

  public static final String PENDING = "PENDING";
  public static final String APPROVED = "APPROVED";
  public static final String REJECTED = "REJECTED";

  /** A request as admins list it; {@code filter} is the request's filter as JSON. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Approval(
      String approvalId,
      String state,
      String requestedBy,
      OffsetDateTime requestedAt,
      String reason,
      @JsonRawValue String filter,
      int matched,
      String decidedBy,
      OffsetDateTime decidedAt,
      String decisionReason,
      Integer queued) {}

  private static final String COLUMNS =
      "approval_id, state, requested_by, requested_at, reason, filter, matched, decided_by,"
          + " decided_at, decision_reason, queued";
  private static final int TEXT_LIMIT = 1000;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final FailedDeliveries failed;
  private final AuditTrail auditTrail;
  private final AdminAudit adminAudit;
  private final Clock clock;
  private final ZoneId zone;

  public Approvals(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      FailedDeliveries failed,
      AuditTrail auditTrail,
      AdminAudit adminAudit,
      Clock clock,
      ZoneId zone) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.failed = failed;
    this.auditTrail = auditTrail;
    this.adminAudit = adminAudit;
    this.clock = clock;
    this.zone = zone;
  }

  /**
   * Stores a pending request to replay {@code deliveryIds} (what {@code filter} matched now) and
   * records {@code APPROVAL_REQUESTED}; returns its id.
   */
  public String request(String admin, String reason, String filter, List<String> deliveryIds) {
    String id = UUID.randomUUID().toString();
    transaction.executeWithoutResult(
        status -> {
          jdbc.update(
              "INSERT INTO approval (approval_id, state, requested_by, requested_at, reason, filter,"
                  + " matched) VALUES (?, ?, ?, ?, ?, ?, ?)",
              id,
              PENDING,
              admin,
              Timestamp.from(clock.instant()),
              limit(reason),
              filter,
              deliveryIds.size());
          jdbc.batchUpdate(
              "INSERT INTO approval_delivery (approval_id, delivery_id) VALUES (?, ?)",
              deliveryIds,
              500,
              (ps, deliveryId) -> {
                ps.setString(1, id);
                ps.setString(2, deliveryId);
              });
          auditTrail.record(
              entry(
                  AuditTrail.Kind.APPROVAL_REQUESTED,
                  admin,
                  detail(id, reason).put("matched", deliveryIds.size()).put("filter", filter)));
          adminAudit.record(admin, "APPROVAL_REQUESTED", id, reason, deliveryIds.size());
        });
    return id;
  }

  /**
   * Approves a pending request by a different admin and replays its deliveries that are still
   * failed; returns how many were queued again. 404 unknown, 403 the requester, 409 decided.
   */
  public int approve(String approvalId, String admin) {
    Approval approval = pending(approvalId);
    if (approval.requestedBy().equals(admin)) {
      throw ProblemException.forbidden(
              "four eyes: the admin who requested this replay may not approve it; another admin"
                  + " must")
          .with("approvalId", approvalId);
    }
    Integer queued =
        transaction.execute(
            status -> {
              int moved =
                  jdbc.update(
                      "UPDATE approval SET state = ?, decided_by = ?, decided_at = ?"
                          + " WHERE approval_id = ? AND state = ? AND requested_by <> ?",
                      APPROVED,
                      admin,
                      Timestamp.from(clock.instant()),
                      approvalId,
                      PENDING,
                      admin);
              if (moved != 1) {
                throw alreadyDecided(approvalId); // another admin was faster
              }
              List<String> ids =
                  jdbc.queryForList(
                      "SELECT delivery_id FROM approval_delivery WHERE approval_id = ?"
                          + " ORDER BY delivery_id",
                      String.class,
                      approvalId);
              String replayDetail =
                  detail(approvalId, approval.reason())
                      .put("requestedBy", approval.requestedBy())
                      .toString();
              int replayed = failed.replay(ids, admin, replayDetail);
              jdbc.update(
                  "UPDATE approval SET queued = ? WHERE approval_id = ?", replayed, approvalId);
              auditTrail.record(
                  entry(
                      AuditTrail.Kind.APPROVED,
                      admin,
                      detail(approvalId, null)
                          .put("requestedBy", approval.requestedBy())
                          .put("matched", approval.matched())
                          .put("queued", replayed)));
              adminAudit.record(admin, "APPROVED", approvalId, approval.reason(), replayed);
              return replayed;
            });
    return queued == null ? 0 : queued;
  }

  /** Rejects a pending request with a reason: nothing is replayed. 404 unknown, 409 decided. */
  public void reject(String approvalId, String admin, String reason) {
    Approval approval = pending(approvalId);
    transaction.executeWithoutResult(
        status -> {
          int moved =
              jdbc.update(
                  "UPDATE approval SET state = ?, decided_by = ?, decided_at = ?,"
                      + " decision_reason = ? WHERE approval_id = ? AND state = ?",
                  REJECTED,
                  admin,
                  Timestamp.from(clock.instant()),
                  limit(reason),
                  approvalId,
                  PENDING);
          if (moved != 1) {
            throw alreadyDecided(approvalId);
          }
          auditTrail.record(
              entry(
                  AuditTrail.Kind.REJECTED,
                  admin,
                  detail(approvalId, reason).put("requestedBy", approval.requestedBy())));
          adminAudit.record(admin, "REJECTED", approvalId, reason, 0);
        });
  }

  public Optional<Approval> find(String approvalId) {
    return jdbc
        .query(
            "SELECT " + COLUMNS + " FROM approval WHERE approval_id = ?",
            this::approval,
            approvalId)
        .stream()
        .findFirst();
  }

  /** A page of requests, newest first; {@code state} null for all. */
  public List<Approval> list(String state, int page, int size) {
    List<Object> args = new ArrayList<>();
    String where = where(state, args);
    args.add(size);
    args.add((long) page * size);
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM approval"
            + where
            + " ORDER BY requested_at DESC, approval_id LIMIT ? OFFSET ?",
        this::approval,
        args.toArray());
  }

  public long count(String state) {
    List<Object> args = new ArrayList<>();
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM approval" + where(state, args), Long.class, args.toArray());
    return count == null ? 0 : count;
  }

  private Approval pending(String approvalId) {
    Approval approval =
        find(approvalId)
            .orElseThrow(() -> ProblemException.notFound("no approval request with this id"));
    if (!PENDING.equals(approval.state())) {
      throw alreadyDecided(approvalId);
    }
    return approval;
  }

  private static ProblemException alreadyDecided(String approvalId) {
    return new ProblemException(
            409, "conflict", "Conflict", "this approval request is no longer pending")
        .with("approvalId", approvalId);
  }

  private static String where(String state, List<Object> args) {
    if (state == null) {
      return "";
    }
    args.add(state.toUpperCase(Locale.ROOT));
    return " WHERE state = ?";
  }

  private static AuditTrail.Entry entry(AuditTrail.Kind kind, String admin, ObjectNode detail) {
    return new AuditTrail.Entry(kind, admin, null, null, null, detail.toString());
  }

  /** The hub's JSON detail of an approval's events; the reason is the admin's own text. */
  static ObjectNode detail(String approvalId, String reason) {
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    if (approvalId != null) {
      detail.put("approvalId", approvalId);
    }
    if (reason != null) {
      detail.put("reason", limit(reason));
    }
    return detail;
  }

  private static String limit(String text) {
    return text == null || text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT);
  }

  private Approval approval(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Approval(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        at(rs.getTimestamp(4)),
        rs.getString(5),
        rs.getString(6),
        rs.getInt(7),
        rs.getString(8),
        at(rs.getTimestamp(9)),
        rs.getString(10),
        (Integer) rs.getObject(11));
  }

  private OffsetDateTime at(Timestamp timestamp) {
    return timestamp == null ? null : OffsetDateTime.ofInstant(timestamp.toInstant(), zone);
  }
}
