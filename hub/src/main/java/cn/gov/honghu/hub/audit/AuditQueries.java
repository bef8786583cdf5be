package cn.gov.honghu.hub.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Reads of the chain for {@code GET /admin/v1/audit}: in chain order, by key ({@code seq}), each
 * filter served by its own index ({@code audit_entry_*}, V8).
 */
public final class AuditQueries {

  /** The filters of the list, each optional. */
  public record Filter(
      String messageId, String caseNumber, String agency, String kind, Instant from, Instant to) {}

  static final RowMapper<ChainedEntry> ENTRY =
      (rs, row) ->
          new ChainedEntry(
              rs.getLong("seq"),
              rs.getTimestamp("at").toInstant(),
              rs.getString("kind"),
              rs.getString("actor"),
              rs.getString("message_id"),
              rs.getString("case_number"),
              rs.getString("agency"),
              rs.getString("detail"),
              rs.getString("prev_hash"),
              rs.getString("hash"));

  private final JdbcTemplate jdbc;

  public AuditQueries(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Up to {@code size} entries after {@code afterSeq} (0: from the first), oldest first. */
  public List<ChainedEntry> list(Filter filter, long afterSeq, int size) {
    StringBuilder where = new StringBuilder(" WHERE seq > ?");
    List<Object> args = new ArrayList<>();
    args.add(afterSeq);
    equal(where, args, "message_id", filter.messageId());
    equal(where, args, "case_number", filter.caseNumber());
    equal(where, args, "agency", filter.agency());
    equal(where, args, "kind", filter.kind());
    if (filter.from() != null) {
      where.append(" AND at >= ?");
      args.add(Timestamp.from(filter.from()));
    }
    if (filter.to() != null) {
      where.append(" AND at < ?");
      args.add(Timestamp.from(filter.to()));
    }
    return jdbc.query(
        "SELECT seq, at, kind, actor, message_id, case_number, agency, detail, prev_hash, hash"
            + " FROM audit_entry"
            + where
            + " ORDER BY seq LIMIT "
            + size,
        ENTRY,
        args.toArray());
  }

  private static void equal(StringBuilder where, List<Object> args, String column, String value) {
    if (value != null) {
      where.append(" AND ").append(column).append(" = ?");
      args.add(value);
    }
  }
}
