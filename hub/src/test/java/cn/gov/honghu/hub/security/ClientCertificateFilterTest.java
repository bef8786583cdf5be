package cn.gov.honghu.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.agency.AgencyRegistry.KeyEntry;
import cn.gov.honghu.hub.agency.Caller.AgencyCaller;
import cn.gov.honghu.hub.agency.DefaultAgencies;
import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.security.TlsTest.Issued;
import cn.gov.honghu.hub.web.ProblemException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The filter's own check of a client certificate's validity period: with {@code want}, or a trust
 * configuration that does not check dates, an expired certificate of a configured agency reaches
 * {@link ApiKeyFilter}, which must refuse it (401, audited) rather than trust the handshake.
 */
class ClientCertificateFilterTest {

  private final Agency police = DefaultAgencies.all().get(0);
  private final AuditTrail audit = mock(AuditTrail.class);
  private final List<Exception> refusals = new ArrayList<>();

  private MockFilterChain call(Issued certificate) throws Exception {
    AgencyRegistry registry =
        new AgencyRegistry(
            List.of(police),
            List.of(),
            List.of(
                new KeyEntry(
                    HexFormat.of().parseHex(TlsTest.fingerprint(certificate)),
                    new AgencyCaller(police))));
    ApiKeyFilter filter =
        new ApiKeyFilter(
            registry,
            new AuthFailures(20, Clock.systemUTC()),
            (request, response, handler, e) -> {
              refusals.add(e);
              return null;
            },
            audit,
            Clock.systemUTC());
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/inbox");
    request.setRemoteAddr("10.1.2.3");
    request.setAttribute(
        "jakarta.servlet.request.X509Certificate",
        new X509Certificate[] {certificate.certificate()});
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, new MockHttpServletResponse(), chain);
    return chain;
  }

  @Test
  void shouldRefuseAnExpiredCertificateOfAConfiguredAgency() throws Exception {
    // given
    Instant now = Instant.now();
    Issued ca = TlsTest.issue("CN=CA", null, now.minus(Duration.ofDays(60)), now, true, null);
    Issued expired =
        TlsTest.issue(
            "CN=police",
            ca,
            now.minus(Duration.ofDays(30)),
            now.minus(Duration.ofDays(1)),
            false,
            "c");
    // when
    MockFilterChain chain = call(expired);
    // then
    assertThat(chain.getRequest()).as("passed on to the endpoint").isNull();
    assertThat(refusals)
        .singleElement()
        .extracting(e -> ((ProblemException) e).status())
        .isEqualTo(401);
    verify(audit)
        .record(
            argThat(
                (AuditTrail.Entry entry) ->
                    entry.kind() == AuditTrail.Kind.AUTH_FAILED
                        && entry.detail().contains("source=10.1.2.3")
                        && entry.detail().contains("reason=certificate-not-valid-now")));
  }

  @Test
  void shouldAuthenticateAValidCertificateOfAConfiguredAgency() throws Exception {
    Instant now = Instant.now();
    Issued ca =
        TlsTest.issue(
            "CN=CA", null, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(9)), true, null);
    Issued valid =
        TlsTest.issue(
            "CN=police",
            ca,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(9)),
            false,
            "c");
    MockFilterChain chain = call(valid);
    assertThat(chain.getRequest()).isNotNull();
    assertThat(refusals).isEmpty();
    verify(audit, never()).record(argThat((AuditTrail.Entry entry) -> true));
  }
}
