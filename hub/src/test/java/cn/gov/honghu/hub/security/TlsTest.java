package cn.gov.honghu.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.hub.HubApplication;
import cn.gov.honghu.hub.agency.ApiKeys;
import cn.gov.honghu.hub.agency.DefaultAgencies;
import cn.gov.honghu.hub.crypto.Pem;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.Messages;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * TLS and client certificates (HUB-SPEC section 11, "Credentials"), over real HTTPS: one hub with a
 * PEM SSL bundle and {@code hub.tls.client-auth: need}, and certificates issued here with Bouncy
 * Castle (a CA, a server certificate for localhost, client certificates of police, agriculture and
 * court, a trusted certificate of no agency, an expired one and one from an unknown CA); none is
 * committed. Police also has two API keys (rotation). The hub runs on its own embedded database in
 * a temporary folder.
 */
class TlsTest {

  private static final AtomicLong SERIAL = new AtomicLong(1);
  private static final String POLICE_KEY_OLD = "police-tls-key-old";
  private static final String POLICE_KEY_NEW = "police-tls-key-new";
  private static final String AGRICULTURE_KEY = "agriculture-tls-key";
  private static final String ADMIN_KEY = "ops-tls-key";

  @TempDir static Path dir;

  private static ConfigurableApplicationContext context;
  private static int port;
  private static Issued ca;
  private static Issued police;
  private static Issued agriculture;
  private static Issued court;
  private static Issued stranger;
  private static Issued expired;
  private static Issued foreign;

  /** A key pair and its certificate. */
  record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {}

  @BeforeAll
  static void startHubWithTls() throws Exception {
    Instant now = Instant.now();
    ca = issue("CN=Honghu hub test CA", null, now.minusSeconds(3600), days(now, 30), true, null);
    Issued server = issue("CN=localhost", ca, now.minusSeconds(3600), days(now, 30), false, "s");
    police = issue("CN=police", ca, now.minusSeconds(3600), days(now, 30), false, "c");
    agriculture = issue("CN=agriculture", ca, now.minusSeconds(3600), days(now, 30), false, "c");
    court = issue("CN=court", ca, now.minusSeconds(3600), days(now, 30), false, "c");
    stranger = issue("CN=stranger", ca, now.minusSeconds(3600), days(now, 30), false, "c");
    expired = issue("CN=police", ca, days(now, -30), days(now, -1), false, "c");
    Issued otherCa =
        issue("CN=Unknown CA", null, now.minusSeconds(3600), days(now, 30), true, null);
    foreign = issue("CN=police", otherCa, now.minusSeconds(3600), days(now, 30), false, "c");

    Files.writeString(
        dir.resolve("server.crt"), Pem.encode("CERTIFICATE", server.certificate().getEncoded()));
    Files.writeString(
        dir.resolve("server.key"), Pem.encode("PRIVATE KEY", server.key().getEncoded()));
    Files.writeString(
        dir.resolve("ca.crt"), Pem.encode("CERTIFICATE", ca.certificate().getEncoded()));
    Path config = dir.resolve("hub-config.yml");
    Files.writeString(config, configuration());

    context =
        new SpringApplicationBuilder(HubApplication.class)
            .run(
                "--spring.config.additional-location=file:" + config,
                "--server.port=0",
                "--hub.data-dir=" + dir.resolve("data"));
    port = ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  @AfterAll
  static void stopHub() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void shouldAnswerOverHttpsAndAuthenticateAnAgencyByItsCertificateAlone() throws Exception {
    // when: police calls with its certificate and no key
    HttpResponse<String> health = get(police, null, "/actuator/health");
    HttpResponse<String> inbox = get(police, null, "/api/v1/inbox");
    // then
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.uri().getScheme()).isEqualTo("https");
    assertThat(inbox.statusCode()).as(inbox.body()).isEqualTo(200);
  }

  @Test
  void shouldActAsTheCertificatesAgencyWhenItSendsAndReads() throws Exception {
    // given: agriculture sends a case transfer with its certificate only
    ObjectNode transfer =
        Messages.of("CASE_TRANSFER", "agriculture", Messages.newCaseNumber(), null);
    HttpResponse<String> accepted =
        send(
            agriculture,
            null,
            HttpRequest.newBuilder(uri("/api/v1/messages"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        HubClient.JSON.writeValueAsString(transfer)))
                .build());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String status = "/api/v1/messages/" + transfer.get("messageId").asString();
    // when / then: its status is agriculture's to read, not court's (not a party)
    assertThat(get(agriculture, null, status).statusCode()).isEqualTo(200);
    assertThat(get(court, null, status).statusCode()).isEqualTo(404);
  }

  @Test
  void shouldAcceptAKeyAndACertificateOfTheSameAgency() throws Exception {
    assertThat(get(agriculture, AGRICULTURE_KEY, "/api/v1/inbox").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldAnswer401WhenTheKeyAndTheCertificateNameDifferentAgencies() throws Exception {
    HttpResponse<String> answer = get(police, AGRICULTURE_KEY, "/api/v1/inbox");
    assertUnauthorized(answer);
    assertUnauthorized(get(police, ADMIN_KEY, "/admin/v1/stats"));
  }

  @Test
  void shouldAnswer401WhenATrustedCertificateBelongsToNoAgency() throws Exception {
    assertUnauthorized(get(stranger, null, "/api/v1/inbox"));
  }

  @Test
  void shouldRefuseTheConnectionWhenTheCertificateIsExpiredOrFromAnUnknownCaOrMissing() {
    for (Issued refused : new Issued[] {expired, foreign, null}) {
      assertThatThrownBy(() -> get(refused, POLICE_KEY_NEW, "/api/v1/inbox"))
          .as(refused == null ? "no certificate" : refused.certificate().toString())
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void shouldAuthenticateBothKeysOfAnAgencyDuringARotation() throws Exception {
    assertThat(get(police, POLICE_KEY_OLD, "/api/v1/inbox").statusCode()).isEqualTo(200);
    assertThat(get(police, POLICE_KEY_NEW, "/api/v1/inbox").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldAuditAFailedAuthenticationWithTheSourceAndWithoutTheKey() throws Exception {
    // given
    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
    long before = jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM audit_entry", Long.class);
    String wrongKey = "wrong-key-" + SERIAL.incrementAndGet() + "-do-not-log";
    // when
    assertUnauthorized(get(agriculture, wrongKey, "/api/v1/inbox?secret=" + wrongKey));
    // then
    List<Map<String, Object>> entries =
        jdbc.queryForList(
            "SELECT seq, at, kind, actor, message_id, case_number, agency, detail FROM audit_entry"
                + " WHERE seq > ? AND kind = 'AUTH_FAILED'",
            before);
    assertThat(entries).hasSize(1);
    String detail = (String) entries.get(0).get("detail");
    assertThat(detail).contains("source=127.0.0.1", "path=/api/v1/inbox").doesNotContain(wrongKey);
    assertThat(entries.get(0).toString()).doesNotContain(wrongKey).doesNotContain("secret=");
  }

  @Test
  void shouldKeepTheGeneratedPartyHashKeyReadableByTheOwnerOnly() throws Exception {
    Path key = dir.resolve("data").resolve("party-hash.key");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  // ---------------------------------------------------------------- the deployment

  private static String configuration() throws Exception {
    StringBuilder yaml = new StringBuilder();
    yaml.append(
        """
        server:
          ssl:
            bundle: hub
        spring:
          ssl:
            bundle:
              pem:
                hub:
                  keystore:
                    certificate: file:%s
                    private-key: file:%s
                  truststore:
                    certificate: file:%s
        hub:
          tls:
            client-auth: need
          retention:
            schedule: "-"
          disk:
            warn-free: 100MB
            min-free: 10MB
          admins:
            - name: ops
              api-key-sha256: %s
          agencies:
        """
            .formatted(
                dir.resolve("server.crt"),
                dir.resolve("server.key"),
                dir.resolve("ca.crt"),
                ApiKeys.sha256Hex(ADMIN_KEY)));
    for (var agency : DefaultAgencies.all()) {
      String keys =
          switch (agency.code()) {
            // two hashes, comma-separated: the old and the new key during a rotation
            case "police" ->
                ApiKeys.sha256Hex(POLICE_KEY_OLD) + "," + ApiKeys.sha256Hex(POLICE_KEY_NEW);
            case "agriculture" -> ApiKeys.sha256Hex(AGRICULTURE_KEY);
            case "court" -> "\"\""; // a certificate only
            default -> ApiKeys.sha256Hex(agency.code() + "-tls-key");
          };
      String certificate =
          switch (agency.code()) {
            case "police" -> fingerprint(police);
            case "agriculture" -> fingerprint(agriculture);
            case "court" -> fingerprint(court);
            default -> "\"\"";
          };
      yaml.append(
          """
              - code: %s
                name: %s
                kind: %s
                api-key-sha256: %s
                client-certificate-sha256: %s
                water-areas: [%s]
          """
              .formatted(
                  agency.code(),
                  agency.code(),
                  agency.kind().name().toLowerCase(),
                  keys,
                  certificate,
                  String.join(", ", agency.waterAreas())));
    }
    return yaml.toString();
  }

  // ---------------------------------------------------------------- HTTPS clients

  private static URI uri(String path) {
    return URI.create("https://localhost:" + port + path);
  }

  private static HttpResponse<String> get(Issued certificate, String key, String path)
      throws Exception {
    return send(certificate, key, HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private static HttpResponse<String> send(Issued certificate, String key, HttpRequest request)
      throws Exception {
    HttpRequest.Builder withKey = HttpRequest.newBuilder(request, (name, value) -> true);
    if (key != null) {
      withKey.header("Authorization", "Bearer " + key);
    }
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(sslContext(certificate))
            .build();
    return client.send(
        withKey.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Trusts the test CA; presents {@code certificate} (none when null). */
  private static SSLContext sslContext(Issued certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = "test".toCharArray();
    if (certificate != null) {
      keys.setKeyEntry(
          "client",
          certificate.key(),
          password,
          new Certificate[] {certificate.certificate(), certificate.issuer()});
    }
    keyManagers.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    return context;
  }

  private static void assertUnauthorized(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = HubClient.JSON.readTree(answer.body());
    assertThat(problem.path("type").asString()).isEqualTo("urn:hub:problem:unauthorized");
  }

  // ---------------------------------------------------------------- certificates

  private static Instant days(Instant from, int days) {
    return from.plus(Duration.ofDays(days));
  }

  /**
   * A certificate for {@code subject} signed by {@code issuer} (self-signed when null); {@code
   * usage} "s" for a server (localhost, 127.0.0.1), "c" for a client.
   */
  static Issued issue(
      String subject, Issued issuer, Instant from, Instant to, boolean isCa, String usage)
      throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name(subject);
    X500Name issuerName =
        issuer == null
            ? name
            : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuerName,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(from),
            Date.from(to),
            name,
            pair.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              "s".equals(usage) ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
    }
    if ("s".equals(usage)) {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
    }
    PrivateKey signer = issuer == null ? pair.getPrivate() : issuer.key();
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    return new Issued(
        pair.getPrivate(), certificate, issuer == null ? certificate : issuer.certificate());
  }

  /** What an operator configures: hex SHA-256 of the DER certificate. */
  static String fingerprint(Issued issued) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(issued.certificate().getEncoded()));
  }
}
