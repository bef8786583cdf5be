package cn.gov.honghu.hub.audit;

import cn.gov.honghu.hub.config.OwnerOnlyFiles;
import cn.gov.honghu.hub.crypto.Pem;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The chain's head, signed into a file outside the database (HUB-SPEC section 11), so that a
 * rewritten or truncated {@code audit_entry} table is detected even by someone who could change
 * every row and the head row.
 *
 * <p>Each line of the head file is {@code <seq> <hash> <at> <signature>}: the Ed25519 signature,
 * base64, over the UTF-8 bytes of {@code "<seq> <hash> <at>"}, so the file can be checked with
 * {@code openssl pkeyutl -verify -rawin} and the public key alone ({@code docs/security.md}). A
 * line is appended when the head moved since the last one; the hub checks every {@code
 * hub.audit.sign-interval} (30 s) and once more when it stops.
 */
public final class SignedHeads {

  /** A signed head as the file holds it. */
  public record SignedHead(long seq, String hash, Instant at) {

    String signedText() {
      return seq + " " + hash + " " + at;
    }
  }

  /** The newest line of the head file, and whether its signature holds. */
  record LastLine(SignedHead head, boolean signatureValid) {}

  private static final Logger log = LoggerFactory.getLogger(SignedHeads.class);

  static final String KEY_FILE = "audit-signing-key.pem";
  static final String PUBLIC_KEY_FILE = "audit-signing-key.pub.pem";

  private final Ed25519PrivateKeyParameters privateKey;
  private final Ed25519PublicKeyParameters publicKey;
  private final Path file;
  private final JdbcTemplate jdbc;
  private final Clock clock;
  private SignedHead lastSigned;

  SignedHeads(Ed25519PrivateKeyParameters privateKey, Path file, JdbcTemplate jdbc, Clock clock) {
    this.privateKey = privateKey;
    this.publicKey = privateKey.generatePublicKey();
    this.file = file;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public Path file() {
    return file;
  }

  /**
   * Signs the chain's head into the file if it moved on since the last signed head; the signed
   * head, or null when there was nothing new or the chain no longer extends what was signed (then
   * it signs nothing, so that a truncated or rewritten chain never gets a valid signature, and logs
   * an error; verify names the break).
   */
  public synchronized SignedHead signHead() {
    Map<String, Object> row = jdbc.queryForMap("SELECT seq, hash FROM audit_head WHERE id = 1");
    long seq = ((Number) row.get("seq")).longValue();
    SignedHead head =
        new SignedHead(
            seq, (String) row.get("hash"), clock.instant().truncatedTo(ChronoUnit.MILLIS));
    SignedHead previous = lastSigned();
    if (previous != null && seq == previous.seq()) {
      return null;
    }
    if (previous != null && !extendsSigned(previous, seq)) {
      log.error(
          "The audit chain does not extend the head this hub signed last (seq {}): not signing;"
              + " GET /admin/v1/audit/verify names the break",
          previous.seq());
      return null;
    }
    String line = head.signedText() + " " + sign(head.signedText()) + "\n";
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append the signed audit head to " + file, e);
    }
    lastSigned = head;
    return head;
  }

  /** The newest validly signed head: remembered, or read from the file after a start. */
  private SignedHead lastSigned() {
    if (lastSigned == null) {
      lastSigned = lastLine().filter(LastLine::signatureValid).map(LastLine::head).orElse(null);
    }
    return lastSigned;
  }

  private boolean extendsSigned(SignedHead signed, long seq) {
    if (seq < signed.seq()) {
      return false;
    }
    List<String> hash =
        jdbc.queryForList("SELECT hash FROM audit_entry WHERE seq = ?", String.class, signed.seq());
    return signed.seq() == 0 || (hash.size() == 1 && hash.get(0).equals(signed.hash()));
  }

  /** The last signature when the hub stops; a database already gone is logged, not thrown. */
  public void close() {
    try {
      signHead();
    } catch (RuntimeException e) {
      log.warn("could not sign the audit head at shutdown: {}", e.getMessage());
    }
  }

  /** The newest line of the file; empty when there is none yet. */
  Optional<LastLine> lastLine() {
    String line = lastNonEmptyLine();
    if (line == null) {
      return Optional.empty();
    }
    String[] parts = line.trim().split(" ");
    try {
      SignedHead head = new SignedHead(Long.parseLong(parts[0]), parts[1], Instant.parse(parts[2]));
      return Optional.of(new LastLine(head, parts.length == 4 && verify(head, parts[3])));
    } catch (RuntimeException malformed) {
      return Optional.of(new LastLine(new SignedHead(-1, "", Instant.EPOCH), false));
    }
  }

  boolean verify(SignedHead head, String signatureBase64) {
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(signatureBase64);
    } catch (IllegalArgumentException e) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, publicKey);
    byte[] text = head.signedText().getBytes(StandardCharsets.UTF_8);
    verifier.update(text, 0, text.length);
    return verifier.verifySignature(signature);
  }

  private String sign(String text) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    signer.update(bytes, 0, bytes.length);
    return Base64.getEncoder().encodeToString(signer.generateSignature());
  }

  /** Reads the file's tail only: it grows by a line per minute for years. */
  private String lastNonEmptyLine() {
    if (!Files.exists(file)) {
      return null;
    }
    try (RandomAccessFile tail = new RandomAccessFile(file.toFile(), "r")) {
      long length = tail.length();
      int size = (int) Math.min(length, 8192);
      byte[] bytes = new byte[size];
      tail.seek(length - size);
      tail.readFully(bytes);
      String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (!lines[i].isBlank()) {
          return lines[i];
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the signed audit heads in " + file, e);
    }
  }

  /**
   * The signing key: {@code hub.audit.signing-key} (PEM text, or the path of a PEM file), else a
   * key generated into the data folder with its public half beside it.
   */
  static Ed25519PrivateKeyParameters signingKey(String configured, Path dataDir)
      throws IOException {
    if (configured != null && !configured.isBlank()) {
      String pem =
          configured.contains("-----BEGIN")
              ? configured
              : Files.readString(Path.of(configured.trim()), StandardCharsets.UTF_8);
      return parse(pem, "hub.audit.signing-key");
    }
    Path keyFile = dataDir.resolve(KEY_FILE);
    boolean fresh = !Files.exists(keyFile);
    Ed25519PrivateKeyParameters key =
        parse(OwnerOnlyFiles.readOrCreate(keyFile, SignedHeads::generatePem), keyFile.toString());
    Path publicFile = dataDir.resolve(PUBLIC_KEY_FILE);
    if (!Files.exists(publicFile)) {
      Files.writeString(publicFile, publicPem(key.generatePublicKey()), StandardCharsets.UTF_8);
    }
    if (fresh) {
      log.warn(
          "hub.audit.signing-key is not set: generated one in {} (public key {}); keep the public"
              + " key where the auditors can find it",
          keyFile,
          publicFile);
    }
    return key;
  }

  static String publicPem(Ed25519PublicKeyParameters key) {
    try {
      return Pem.encode(
          "PUBLIC KEY", SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String generatePem() {
    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
    try {
      return Pem.encode(
          "PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Ed25519PrivateKeyParameters parse(String pem, String source) {
    try {
      AsymmetricKeyParameter key = PrivateKeyFactory.createKey(Pem.decode(pem));
      if (key instanceof Ed25519PrivateKeyParameters ed25519) {
        return ed25519;
      }
      throw new IllegalStateException(source + ": not an Ed25519 private key");
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(source + ": not a PEM Ed25519 private key (PKCS#8)", e);
    }
  }
}
