package cn.gov.honghu.hub.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The deployment's configuration under {@code hub.*} (HUB-SPEC section 2). Bound and validated at
 * start: a bad value stops the hub with a message naming its key. Cross-entry checks (unique codes,
 * known water areas, webhook URLs) live in {@link HubConfigurationCheck}.
 */
@Validated
@ConfigurationProperties("hub")
public record HubProperties(
    @NotNull @DefaultValue("./data") Path dataDir,
    @NotNull @DefaultValue("Asia/Shanghai") ZoneId zone,
    @Valid @DefaultValue List<AgencyConfig> agencies,
    @Valid @DefaultValue List<AdminConfig> admins,
    @Valid @DefaultValue List<WaterAreaConfig> waterAreas,
    @Valid @DefaultValue Ingest ingest,
    // Deadline lengths by id; the calendar keys under the same prefix: DeadlineCalendarProperties.
    @DefaultValue Map<String, String> deadlines,
    @NotBlank @DefaultValue("classpath:rules/hub-rules.yml") String rulesFile,
    @Valid @DefaultValue Broker broker,
    String partyHashKey,
    @Valid @DefaultValue Delivery delivery,
    @Valid @DefaultValue Alerts alerts,
    @Valid @DefaultValue Api api,
    @Valid @DefaultValue Security security,
    @Valid @DefaultValue Retention retention,
    @Valid @DefaultValue Disk disk,
    @Valid @DefaultValue EmbeddedStore embeddedStore,
    @Valid @DefaultValue Crypto crypto,
    @Valid @DefaultValue Audit audit,
    @Valid @DefaultValue Pii pii,
    @Valid @DefaultValue Tls tls,
    @Valid @DefaultValue Admin admin) {

  public static final String CODE_PATTERN = "^[a-z][a-z0-9-]{1,31}$";
  static final String SHA256_HEX = "^[0-9a-fA-F]{64}$";

  /** Bound records may be printed (Spring's failure analysis): the party-hash key never is. */
  @Override
  public String toString() {
    return Redacted.toString(this, "partyHashKey");
  }

  /**
   * One member agency. {@code apiKeySha256} and {@code clientCertificateSha256}: up to two hashes
   * each (a YAML list or comma-separated), so that a key or certificate is rotated without
   * downtime; at least one of them (HubConfigurationCheck).
   */
  public record AgencyConfig(
      @NotBlank @Pattern(regexp = CODE_PATTERN) String code,
      @NotBlank String name,
      @NotNull AgencyKind kind,
      @NotNull @Size(max = 2) @DefaultValue List<@Pattern(regexp = SHA256_HEX) String> apiKeySha256,
      @Valid @DefaultValue DeliveryConfig delivery,
      @DefaultValue List<String> waterAreas,
      @jakarta.validation.constraints.Positive Double ratePerSecond,
      @jakarta.validation.constraints.Min(1) Integer burst,
      @NotNull @Size(max = 2) @DefaultValue
          List<@Pattern(regexp = SHA256_HEX) String> clientCertificateSha256) {

    @Override
    public String toString() {
      return Redacted.toString(this, "apiKeySha256");
    }
  }

  public enum AgencyKind {
    JUDICIAL,
    ADMINISTRATIVE;
  }

  /**
   * How an agency receives its deliveries: exactly one mode. {@code webhook}: {@code url} and
   * {@code secret} (the HMAC key of {@code X-Hub-Signature}), and optionally its own retry settings
   * overriding {@code hub.delivery.webhook.*}. {@code jms}: {@code user} and {@code password} of
   * its broker account, which may read only its own queue.
   */
  public record DeliveryConfig(
      @NotNull @DefaultValue("pull") DeliveryMode mode,
      String url,
      String secret,
      String user,
      String password,
      @jakarta.validation.constraints.Min(1) Integer maxAttempts,
      java.time.Duration initialDelay,
      java.time.Duration maxDelay,
      java.time.Duration timeout) {

    @Override
    public String toString() {
      return Redacted.toString(this, "secret", "password");
    }
  }

  /**
   * Push delivery: webhook retry defaults (HUB-SPEC section 4), and when a recipient counts as
   * stalled (its oldest undelivered or unacknowledged delivery is older than {@code stalledAfter}).
   * An inbox pull stops at {@code maxPullBytes} of items (at least one; HUB-SPEC section 11).
   */
  public record Delivery(
      @Valid @DefaultValue Webhook webhook,
      @NotNull @DefaultValue("PT2H") java.time.Duration stalledAfter,
      @NotNull @DefaultValue("8MB") DataSize maxPullBytes) {}

  /**
   * Webhook retries: {@code maxAttempts} counts every try, the first included; the delay doubles
   * from {@code initialDelay} up to {@code maxDelay}, with jitter; each try waits at most {@code
   * timeout} for the answer. The breaker opens after {@code breakerFailures} failures in a row and
   * lets one probe through after {@code breakerOpenFor}.
   */
  public record Webhook(
      @jakarta.validation.constraints.Min(1) @DefaultValue("8") int maxAttempts,
      @NotNull @DefaultValue("PT1S") java.time.Duration initialDelay,
      @NotNull @DefaultValue("PT10M") java.time.Duration maxDelay,
      @NotNull @DefaultValue("PT10S") java.time.Duration timeout,
      @jakarta.validation.constraints.Min(1) @DefaultValue("5") int breakerFailures,
      @NotNull @DefaultValue("PT30S") java.time.Duration breakerOpenFor) {}

  public enum DeliveryMode {
    PULL,
    WEBHOOK,
    JMS;
  }

  /**
   * An administrator: up to two key hashes, like an agency's, for rotation, and its {@link
   * AdminRole}; without a role it is {@code admin}, what every admin key could do before roles
   * existed, so an upgrade locks nobody out.
   */
  public record AdminConfig(
      @NotBlank String name,
      @NotEmpty @Size(max = 2) List<@Pattern(regexp = SHA256_HEX) String> apiKeySha256,
      @NotNull @DefaultValue("admin") AdminRole role) {

    @Override
    public String toString() {
      return Redacted.toString(this, "apiKeySha256");
    }
  }

  /** A water area and its fishing-ban calendar. */
  public record WaterAreaConfig(
      @NotBlank @Pattern(regexp = CODE_PATTERN) String code,
      @NotBlank String name,
      @DefaultValue("false") boolean fullBan,
      LocalDate banFrom,
      LocalDate banTo,
      @Valid @DefaultValue List<BanSeason> banSeasons) {}

  /** A closed season, month-day to month-day, both ends included. */
  public record BanSeason(
      @NotBlank @Pattern(regexp = "^\\d{2}-\\d{2}$") String from,
      @NotBlank @Pattern(regexp = "^\\d{2}-\\d{2}$") String to) {}

  /**
   * The hub's use of the broker. {@code acceptorUrl} opens a TCP acceptor on the embedded broker
   * (for agencies that consume their queue directly, and for tests); the outbox relay moves push
   * deliveries from the database to the broker every {@code relayInterval}, at most {@code
   * relayBatchSize} and at most {@code relayBatchBytes} (at least one) per broker transaction;
   * ingest answers 503 while the broker has been unreachable for the last {@code
   * availabilityCheckInterval}. The embedded broker redelivers a message a jms agency's consumer
   * rolled back after {@code redeliveryDelay}, doubling up to {@code maxRedeliveryDelay}, and
   * dead-letters it after {@code maxDeliveryAttempts} deliveries (an external broker takes these
   * from its own broker.xml).
   */
  public record Broker(
      String acceptorUrl,
      @NotNull @DefaultValue("PT0.1S") java.time.Duration relayInterval,
      @jakarta.validation.constraints.Min(1)
          @jakarta.validation.constraints.Max(5000)
          @DefaultValue("500")
          int relayBatchSize,
      @NotNull @DefaultValue("8MB") DataSize relayBatchBytes,
      @NotNull @DefaultValue("PT1S") java.time.Duration availabilityCheckInterval,
      @jakarta.validation.constraints.Min(1) @DefaultValue("10") int maxDeliveryAttempts,
      @NotNull @DefaultValue("PT1S") java.time.Duration redeliveryDelay,
      @NotNull @DefaultValue("PT60S") java.time.Duration maxRedeliveryDelay) {}

  /**
   * Fishing-ban alerts (HUB-SPEC section 8): a report joins an open incident of the same water area
   * and kind within {@code correlationDistanceM} metres of any of its reports and {@code
   * correlationWindow} of its latest report (both inclusive); an incident nobody acknowledged
   * within {@code escalateAfter} of its first report is escalated once.
   */
  public record Alerts(
      @jakarta.validation.constraints.Positive @DefaultValue("500") double correlationDistanceM,
      @NotNull @DefaultValue("PT30M") java.time.Duration correlationWindow,
      @NotNull @DefaultValue("PT15M") java.time.Duration escalateAfter) {}

  /**
   * Ingest limits (HUB-SPEC section 11): the body of a message; per agency, {@code ratePerSecond}
   * messages with bursts of {@code burst} (off unless set; an agency's own values override them)
   * and {@code maxConcurrent} requests in flight (every {@code /api} request of the agency).
   */
  public record Ingest(
      @NotNull @DefaultValue("1MB") DataSize maxBodySize,
      @jakarta.validation.constraints.Positive Double ratePerSecond,
      @jakarta.validation.constraints.Min(1) Integer burst,
      @jakarta.validation.constraints.Min(1) @DefaultValue("16") int maxConcurrent) {}

  /** Every JSON body other than ingest is at most {@code maxBodySize} (else 413). */
  public record Api(@NotNull @DefaultValue("64KB") DataSize maxBodySize) {}

  /**
   * A source address with more than {@code maxAuthFailuresPerMinute} failed authentications gets
   * 429 for the rest of that minute.
   */
  public record Security(
      @jakarta.validation.constraints.Min(1) @DefaultValue("20") int maxAuthFailuresPerMinute) {}

  /**
   * Retention (HUB-SPEC section 11): finished deliveries (acknowledged; delivered to a webhook or
   * jms agency; discarded) and their attempts are purged {@code finishedDeliveries} after they
   * finished, lifecycle events of messages with nothing left to deliver as old as that too; party
   * fields of a case's envelopes are replaced by {@code "[removed]"} {@code personalData} after the
   * case's last message. The job runs on {@code schedule} (a Spring cron expression in {@code
   * hub.zone}, {@code "-"} for never) in transactions of at most {@code batchSize} rows.
   */
  public record Retention(
      @NotNull @DefaultValue("P90D") java.time.Duration finishedDeliveries,
      @NotNull @DefaultValue("P10Y") java.time.Period personalData,
      @NotBlank @DefaultValue("0 30 2 * * *") String schedule,
      @jakarta.validation.constraints.Min(1)
          @jakarta.validation.constraints.Max(5000)
          @DefaultValue("500")
          int batchSize) {}

  /**
   * The data folder's disk as a health signal: health {@code disk} is WARNING (still ready) when
   * the file system of {@code hub.data-dir} has less than {@code warnFree} usable, and
   * OUT_OF_SERVICE (not ready) below {@code minFree}, where taking more messages risks a store that
   * cannot write its next commit.
   */
  public record Disk(
      @NotNull @DefaultValue("5GB") DataSize warnFree,
      @NotNull @DefaultValue("1GB") DataSize minFree) {}

  /**
   * Housekeeping of the embedded H2 file (EmbeddedStoreMaintenance): every {@code
   * maintenanceInterval}, chunks filled below {@code targetFillRate} percent are rewritten, up to
   * {@code compactionWriteLimit} per step (commits wait during a step), so that the file stays near
   * its live data. 50 percent and 1 MB: at 90 percent and 4 MB the steps rewrote nearly full chunks
   * (ten bytes written per byte freed), took up to 4.5 s under full load and starved the commits.
   */
  public record EmbeddedStore(
      @NotNull @DefaultValue("PT0.2S") java.time.Duration maintenanceInterval,
      @jakarta.validation.constraints.Min(10)
          @jakarta.validation.constraints.Max(100)
          @DefaultValue("50")
          int targetFillRate,
      @NotNull @DefaultValue("1MB") DataSize compactionWriteLimit) {}

  /**
   * The algorithms of the audit chain's hash and of personal data at rest (HUB-SPEC section 11):
   * {@code standard} (SHA-256, AES-256-GCM) or {@code sm} (SM3, SM4-GCM, for deployments assessed
   * under GB/T 39786).
   */
  public record Crypto(@NotNull @DefaultValue("standard") CryptoProfile profile) {}

  public enum CryptoProfile {
    STANDARD,
    SM;
  }

  /**
   * The audit chain (HUB-SPEC section 11): every {@code signInterval} the chain's head is signed
   * with the Ed25519 key {@code signingKey} (PEM text or the path of a PEM file; blank: one is
   * generated into the data folder) and appended to {@code headFile} (blank: {@code
   * <data-dir>/audit-heads.log}), a file outside the database.
   */
  public record Audit(
      String signingKey,
      String headFile,
      @NotNull @DefaultValue("PT30S") java.time.Duration signInterval) {

    @Override
    public String toString() {
      return "Audit[signingKey="
          + (signingKey == null ? "none" : "(set)")
          + ", headFile="
          + headFile
          + ", signInterval="
          + signInterval
          + "]";
    }
  }

  /**
   * Keys of personal data at rest (HUB-SPEC section 11): {@code keys} by key id, base64 of 32 bytes
   * (AES-256) or 16 bytes (SM4); new values are encrypted under {@code activeKey}, old key ids keep
   * decrypting. None configured: one is generated into the data folder.
   */
  public record Pii(@DefaultValue Map<String, String> keys, String activeKey) {

    @Override
    public String toString() {
      return "Pii[keyIds=" + keys.keySet() + ", activeKey=" + activeKey + "]";
    }
  }

  /**
   * TLS on the hub's own port (HUB-SPEC section 11): the certificate and trust come from Spring
   * Boot's SSL bundle ({@code server.ssl.bundle}); {@code clientAuth} {@code want} or {@code need}
   * asks clients for a certificate, which authenticates an agency by its {@code
   * client-certificate-sha256}. Mapped onto {@code server.ssl.client-auth} by {@link
   * TlsClientAuth}.
   */
  public record Tls(@NotNull @DefaultValue("none") ClientAuth clientAuth) {}

  public enum ClientAuth {
    NONE,
    WANT,
    NEED;
  }

  /**
   * What an admin credential may do (HUB-SPEC section 11): {@code operator} reads every admin view,
   * {@code admin} also replays, discards, runs retention and approves, {@code auditor} reads only
   * {@code /admin/v1/audit*}. An unknown value stops the hub at start, naming the key.
   */
  public enum AdminRole {
    OPERATOR,
    ADMIN,
    AUDITOR;
  }

  /**
   * Four eyes (HUB-SPEC section 11): a batch replay matching more than {@code fourEyesThreshold}
   * failed deliveries waits for a second admin's approval ({@code 0}: every batch replay does).
   */
  public record Admin(
      @jakarta.validation.constraints.Min(0) @DefaultValue("100") int fourEyesThreshold) {}
}
