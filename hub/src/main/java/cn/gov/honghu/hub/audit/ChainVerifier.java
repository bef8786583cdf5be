package cn.gov.honghu.hub.audit;

import cn.gov.honghu.hub.audit.SignedHeads.LastLine;
import cn.gov.honghu.hub.audit.SignedHeads.SignedHead;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code GET /admin/v1/audit/verify} (HUB-SPEC section 11): walks the chain from its first entry,
 * recomputing every hash, and compares its end with the head row and with the newest signed head of
 * the head file.
 *
 * <p>The signed head is read first, then the head row, then the entries up to that row's seq: an
 * entry appended meanwhile is left for the next verification instead of looking like a gap.
 */
public final class ChainVerifier {

  /** The answer. {@code firstBroken} is set when {@code ok} is false. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Verification(
      boolean ok,
      long entries,
      Head head,
      Signed signedHead,
      Broken firstBroken,
      String algorithm) {}

  public record Head(long seq, String hash) {}

  public record Signed(long seq, String hash, String at) {}

  public record Broken(long seq, String reason) {}

  static final String GENESIS = "0000000000000000000000000000000000000000000000000000000000000000";

  private static final int BATCH = 5000;

  private final JdbcTemplate jdbc;
  private final ChainHash chainHash;
  private final SignedHeads heads;

  public ChainVerifier(JdbcTemplate jdbc, ChainHash chainHash, SignedHeads heads) {
    this.jdbc = jdbc;
    this.chainHash = chainHash;
    this.heads = heads;
  }

  public Verification verify() {
    Optional<LastLine> lastLine = heads.lastLine();
    Signed signed =
        lastLine
            .map(l -> new Signed(l.head().seq(), l.head().hash(), l.head().at().toString()))
            .orElse(null);
    Map<String, Object> row = jdbc.queryForMap("SELECT seq, hash FROM audit_head WHERE id = 1");
    Head head = new Head(((Number) row.get("seq")).longValue(), (String) row.get("hash"));
    Walk walk = walk(head.seq(), lastLine.map(l -> l.head().seq()).orElse(-1L));
    Broken broken = walk.broken;
    if (broken == null && lastLine.isPresent()) {
      broken = againstSignedHead(lastLine.get(), walk);
    }
    if (broken == null && (walk.lastSeq != head.seq() || !walk.lastHash.equals(head.hash()))) {
      broken =
          new Broken(
              walk.lastSeq + 1,
              "the chain ends at seq "
                  + walk.lastSeq
                  + " but its head row names seq "
                  + head.seq()
                  + ": entries were removed or the head row was changed");
    }
    return new Verification(
        broken == null, walk.entries, head, signed, broken, chainHash.algorithm());
  }

  private static Broken againstSignedHead(LastLine line, Walk walk) {
    SignedHead signed = line.head();
    if (!line.signatureValid()) {
      return new Broken(
          Math.max(signed.seq(), 0),
          "the newest line of the signed head file does not carry a valid signature of this"
              + " hub's audit key");
    }
    if (walk.lastSeq < signed.seq()) {
      return new Broken(
          walk.lastSeq + 1,
          "the chain is shorter than the signed head: it ends at seq "
              + walk.lastSeq
              + ", seq "
              + signed.seq()
              + " was signed at "
              + signed.at());
    }
    if (signed.seq() > 0 && !signed.hash().equals(walk.hashAtSigned)) {
      return new Broken(
          signed.seq(),
          "the entry disagrees with the signed head: its hash is not the one signed at "
              + signed.at());
    }
    return null;
  }

  /** The state of a walk through the chain. */
  private static final class Walk {
    long entries;
    long lastSeq;
    String lastHash = GENESIS;
    String hashAtSigned;
    Broken broken;
  }

  private Walk walk(long upTo, long signedSeq) {
    Walk walk = new Walk();
    while (walk.broken == null) {
      List<ChainedEntry> batch =
          jdbc.query(
              "SELECT seq, at, kind, actor, message_id, case_number, agency, detail, prev_hash,"
                  + " hash FROM audit_entry WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT "
                  + BATCH,
              AuditQueries.ENTRY,
              walk.lastSeq,
              upTo);
      for (ChainedEntry entry : batch) {
        walk.broken = check(entry, walk);
        if (walk.broken != null) {
          break;
        }
        walk.entries++;
        walk.lastSeq = entry.seq();
        walk.lastHash = entry.hash();
        if (entry.seq() == signedSeq) {
          walk.hashAtSigned = entry.hash();
        }
      }
      if (batch.size() < BATCH) {
        break;
      }
    }
    return walk;
  }

  private Broken check(ChainedEntry entry, Walk walk) {
    long expected = walk.lastSeq + 1;
    if (entry.seq() != expected) {
      return new Broken(
          expected, "missing: the chain jumps from seq " + walk.lastSeq + " to seq " + entry.seq());
    }
    if (!entry.prevHash().equals(walk.lastHash)) {
      return new Broken(
          entry.seq(),
          "prevHash is not the hash of the entry before it (seq " + walk.lastSeq + ")");
    }
    if (!chainHash.hash(entry).equals(entry.hash())) {
      return new Broken(entry.seq(), "the hash does not match the entry's content");
    }
    return null;
  }
}
