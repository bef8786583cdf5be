package cn.gov.honghu.hub.tracking;

import cn.gov.honghu.hub.message.CaseNumbers;
import cn.gov.honghu.hub.web.Cursor;
import cn.gov.honghu.hub.web.Keyed;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Read side of accepted messages for their parties (HUB-SPEC section 3): one message with its
 * deliveries, and an agency's own sent or received traffic, paged.
 */
public final class MessageQueries {

  /**
   * A delivery as its message's sender or recipient sees it. {@code lastError} is the class of the
   * last failed attempt and the recipient's HTTP status ({@code REFUSED HTTP 400}, {@code RETRY
   * HTTP 503}, {@code RETRY} without an answer, {@code DEAD_LETTER}), never the error's text: that
   * names the recipient's hosts and echoes its answers, which are for the admins' failed-delivery
   * views.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeliveryStatus(
      String recipient, String deliveryId, String state, int attempts, String lastError) {}

  /** A message and its deliveries. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MessageStatus(
      String messageId,
      String type,
      String sender,
      String caseNumber,
      OffsetDateTime acceptedAt,
      @JsonRawValue String receipt,
      List<DeliveryStatus> deliveries) {}

  private final JdbcTemplate jdbc;

  public MessageQueries(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The message (or the original of an alias) if the agency is its sender or a recipient;
   * recipients see only their own delivery.
   */
  public Optional<MessageStatus> find(String messageId, String agency) {
    List<String> originals =
        jdbc.queryForList(
            "SELECT original_id FROM message_key WHERE message_id = ?", String.class, messageId);
    if (originals.isEmpty()) {
      return Optional.empty();
    }
    List<MessageStatus> found =
        jdbc.query(
            "SELECT message_id, type, sender, case_number, accepted_at, receipt FROM hub_message"
                + " WHERE message_id = ?",
            this::status,
            originals.get(0));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    MessageStatus message = found.get(0);
    boolean sender = message.sender().equals(agency);
    List<DeliveryStatus> deliveries =
        jdbc.query(
            "SELECT d.recipient, d.delivery_id, d.state, d.attempts, d.last_error,"
                + " (SELECT a.outcome FROM delivery_attempt a WHERE a.delivery_id = d.delivery_id"
                + " ORDER BY a.id DESC LIMIT 1),"
                + " (SELECT a.status FROM delivery_attempt a WHERE a.delivery_id = d.delivery_id"
                + " ORDER BY a.id DESC LIMIT 1)"
                + " FROM delivery d WHERE d.message_id = ? ORDER BY d.id",
            (rs, i) ->
                new DeliveryStatus(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getInt(4),
                    rs.getString(5) == null
                        ? null
                        : errorClass(rs.getString(6), (Integer) rs.getObject(7))),
            message.messageId());
    List<DeliveryStatus> visible =
        deliveries.stream().filter(d -> sender || d.recipient().equals(agency)).toList();
    if (!sender && visible.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new MessageStatus(
            message.messageId(),
            message.type(),
            message.sender(),
            message.caseNumber(),
            message.acceptedAt(),
            message.receipt(),
            visible));
  }

  /** Which of an agency's traffic to list. */
  public enum Direction {
    SENT,
    RECEIVED,
    BOTH
  }

  /**
   * A page of the caller's traffic in the order the hub accepted it: after {@code after} (a range
   * of {@code accept_seq} from that point on) or at an offset; the cursor of the last item when the
   * page is full.
   */
  public Keyed<MessageStatus> list(
      String agency,
      Direction direction,
      String caseNumber,
      Instant from,
      Instant to,
      Cursor after,
      int page,
      int size) {
    List<Object> args = new ArrayList<>();
    String where = where(agency, direction, caseNumber, from, to, args);
    if (after != null) {
      where += " AND m.accept_seq > ?";
      args.add(after.id());
    }
    args.add(size);
    args.add((long) page * size);
    List<Cursor> positions = new ArrayList<>();
    List<MessageStatus> items =
        jdbc.query(
            "SELECT m.message_id, m.type, m.sender, m.case_number, m.accepted_at, m.receipt,"
                + " m.accept_seq FROM hub_message m"
                + where
                + " ORDER BY m.accept_seq LIMIT ? OFFSET ?",
            (rs, row) -> {
              positions.add(new Cursor(null, rs.getLong(7)));
              return status(rs, row);
            },
            args.toArray());
    return Keyed.of(items, positions, size);
  }

  /** How many messages {@link #list} pages through (every match: a count over the history). */
  public long count(
      String agency, Direction direction, String caseNumber, Instant from, Instant to) {
    List<Object> args = new ArrayList<>();
    Long total =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM hub_message m"
                + where(agency, direction, caseNumber, from, to, args),
            Long.class,
            args.toArray());
    return total == null ? 0 : total;
  }

  private static String where(
      String agency,
      Direction direction,
      String caseNumber,
      Instant from,
      Instant to,
      List<Object> args) {
    StringBuilder where = new StringBuilder(" WHERE ");
    String received =
        "EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = m.message_id AND d.recipient = ?)";
    switch (direction) {
      case SENT -> {
        where.append("m.sender = ?");
        args.add(agency);
      }
      case RECEIVED -> {
        where.append(received);
        args.add(agency);
      }
      case BOTH -> {
        where.append("(m.sender = ? OR ").append(received).append(")");
        args.add(agency);
        args.add(agency);
      }
    }
    if (caseNumber != null) {
      where.append(" AND m.case_key = ?");
      args.add(CaseNumbers.key(caseNumber));
    }
    if (from != null) {
      where.append(" AND m.accepted_at >= ?");
      args.add(Timestamp.from(from));
    }
    if (to != null) {
      where.append(" AND m.accepted_at < ?");
      args.add(Timestamp.from(to));
    }
    return where.toString();
  }

  /** What a party sees of a failed attempt: its outcome and HTTP status, not the error's text. */
  static String errorClass(String outcome, Integer status) {
    String kind = outcome == null ? "FAILED" : outcome;
    return status == null ? kind : kind + " HTTP " + status;
  }

  private static OffsetDateTime utc(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant().atOffset(ZoneOffset.UTC);
  }

  /** A message's status row (message_id, type, sender, case_number, accepted_at, receipt). */
  private MessageStatus status(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new MessageStatus(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        utc(rs.getTimestamp(5)),
        rs.getString(6),
        null);
  }
}
