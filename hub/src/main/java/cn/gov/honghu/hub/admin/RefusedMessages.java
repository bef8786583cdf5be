package cn.gov.honghu.hub.admin;

import cn.gov.honghu.hub.web.Cursor;
import cn.gov.honghu.hub.web.Keyed;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Messages refused at ingest (400/403/409/422, and 503), from the event log: who sent it, its id
 * when it had a usable one, the status and the problem's members (never payload values: the problem
 * bodies do not echo them).
 */
public final class RefusedMessages {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Refused(
      OffsetDateTime at,
      String agency,
      String messageId,
      int status,
      @JsonRawValue String reason) {}

  private final JdbcTemplate jdbc;
  private final ZoneId zone;

  public RefusedMessages(JdbcTemplate jdbc, ZoneId zone) {
    this.jdbc = jdbc;
    this.zone = zone;
  }

  /**
   * A page of refusals, newest first: before {@code after} (a range of {@code hub_event_kind (kind,
   * id)} read backwards) or at an offset; the cursor of the last item when the page is full.
   */
  public Keyed<Refused> list(
      String agency, Integer status, Instant from, Instant to, Cursor after, int page, int size) {
    List<Object> args = new ArrayList<>();
    String where = where(agency, status, from, to, args);
    if (after != null) {
      where += " AND id < ?";
      args.add(after.id());
    }
    args.add(size);
    args.add((long) page * size);
    List<Cursor> positions = new ArrayList<>();
    List<Refused> items =
        jdbc.query(
            "SELECT at, agency, message_id, status, detail, id FROM hub_event"
                + where
                + " ORDER BY id DESC LIMIT ? OFFSET ?",
            (rs, i) -> {
              positions.add(new Cursor(null, rs.getLong(6)));
              return new Refused(
                  OffsetDateTime.ofInstant(rs.getTimestamp(1).toInstant(), zone),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getString(5));
            },
            args.toArray());
    return Keyed.of(items, positions, size);
  }

  public long count(String agency, Integer status, Instant from, Instant to) {
    List<Object> args = new ArrayList<>();
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM hub_event" + where(agency, status, from, to, args),
            Long.class,
            args.toArray());
    return count == null ? 0 : count;
  }

  private static String where(
      String agency, Integer status, Instant from, Instant to, List<Object> args) {
    StringBuilder where = new StringBuilder(" WHERE kind = 'REFUSED'");
    if (agency != null) {
      where.append(" AND agency = ?");
      args.add(agency);
    }
    if (status != null) {
      where.append(" AND status = ?");
      args.add(status);
    }
    if (from != null) {
      where.append(" AND at >= ?");
      args.add(Timestamp.from(from));
    }
    if (to != null) {
      where.append(" AND at < ?");
      args.add(Timestamp.from(to));
    }
    return where.toString();
  }
}
