package cn.gov.honghu.hub.security;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.agency.Caller;
import cn.gov.honghu.hub.agency.Caller.AdminCaller;
import cn.gov.honghu.hub.agency.Caller.AgencyCaller;
import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.web.ProblemException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Authenticates every {@code /api} and {@code /admin} request by its {@code Authorization: Bearer}
 * key or its TLS client certificate before anything reads its body: a missing or unknown credential
 * is answered 401 here, so it costs the hub the headers only. The caller becomes the request's
 * principal: the {@link cn.gov.honghu.hub.agency.Agency} for an agency key or certificate, the
 * {@link AdminCaller} for an admin key, with the role {@code AGENCY} or {@code ADMIN} that {@link
 * SecurityConfiguration} checks.
 *
 * <p>A client certificate (with {@code hub.tls.client-auth} want or need) must be one of an
 * agency's {@code client-certificate-sha256} and valid now; with a key as well, both must name the
 * same caller. Every failed authentication is recorded in the audit chain as {@code AUTH_FAILED}
 * with the source address and path, never the presented key. The caller is also left in the request
 * attribute {@link #CALLER}, so that a refusal can say which role was refused; an admin's role
 * ({@code OPERATOR}, {@code ADMIN}, {@code AUDITOR}) is what {@link SecurityConfiguration} checks
 * for {@code /admin}.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

  static final String AGENCY = "AGENCY";
  static final String CALLER = ApiKeyFilter.class.getName() + ".caller";
  private static final String BEARER = "Bearer ";
  private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";
  private static final int PATH_LIMIT = 200;
  private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);

  private final AgencyRegistry registry;
  private final AuthFailures failures;
  private final HandlerExceptionResolver problems;
  private final AuditTrail audit;
  private final Clock clock;

  ApiKeyFilter(
      AgencyRegistry registry,
      AuthFailures failures,
      HandlerExceptionResolver problems,
      AuditTrail audit,
      Clock clock) {
    this.registry = registry;
    this.failures = failures;
    this.problems = problems;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !ApiPaths.isProtected(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String address = request.getRemoteAddr();
    if (failures.isBlocked(address)) {
      // Not audited: past the per-minute limit an address costs the chain nothing, so failed
      // attempts cannot flood the database (at most max-auth-failures-per-minute + 1 entries per
      // address and minute).
      problems.resolveException(
          request,
          response,
          null,
          ProblemException.rateLimited(
              failures.secondsLeftInMinute(),
              "too many failed authentications from this address; wait for the next minute"));
      return;
    }
    Optional<String> key = bearerKey(request);
    X509Certificate certificate = clientCertificate(request);
    Optional<Caller> byKey = key.flatMap(registry::authenticate);
    Optional<Caller> byCertificate =
        certificate == null
            ? Optional.empty()
            : registry.authenticateCertificate(sha256(certificate));
    String failure = null;
    if (key.isEmpty() && certificate == null) {
      failure = "no-credential";
    } else if (key.isPresent() && byKey.isEmpty()) {
      failure = "unknown-key";
    } else if (certificate != null && byCertificate.isEmpty()) {
      failure = "unknown-certificate";
    } else if (certificate != null && !isValidNow(certificate)) {
      // The trust manager refuses an expired certificate with need; this covers want and any
      // trust configuration that does not check validity.
      failure = "certificate-not-valid-now";
    } else if (byKey.isPresent() && byCertificate.isPresent() && !byKey.equals(byCertificate)) {
      failure = "key-and-certificate-differ";
    }
    if (failure != null) {
      failures.record(address);
      auditFailure(request, address, failure);
      problems.resolveException(request, response, null, ProblemException.unauthorized());
      return;
    }
    Caller caller = byKey.or(() -> byCertificate).orElseThrow();
    request.setAttribute(CALLER, caller);
    SecurityContextHolder.getContext().setAuthentication(authentication(caller));
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  /**
   * {@code AUTH_FAILED} with the source address, the path (no query string, which might carry
   * anything) and the reason; never the presented key or certificate. A failing audit write does
   * not turn the 401 into a 500.
   */
  private void auditFailure(HttpServletRequest request, String address, String reason) {
    String path = request.getRequestURI();
    if (path.length() > PATH_LIMIT) {
      path = path.substring(0, PATH_LIMIT) + "...";
    }
    try {
      audit.record(
          new AuditTrail.Entry(
              AuditTrail.Kind.AUTH_FAILED,
              "anonymous",
              null,
              null,
              null,
              "source=" + address + " path=" + path + " reason=" + reason));
    } catch (RuntimeException e) {
      log.warn("could not audit a failed authentication from {}: {}", address, e.toString());
    }
  }

  private static X509Certificate clientCertificate(HttpServletRequest request) {
    Object chain = request.getAttribute(CERTIFICATES);
    return chain instanceof X509Certificate[] certificates && certificates.length > 0
        ? certificates[0]
        : null;
  }

  private boolean isValidNow(X509Certificate certificate) {
    try {
      certificate.checkValidity(Date.from(clock.instant()));
      return true;
    } catch (CertificateException e) {
      return false;
    }
  }

  private static byte[] sha256(X509Certificate certificate) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      return new byte[0]; // matches no configured certificate
    }
  }

  private static Optional<String> bearerKey(HttpServletRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return Optional.of(authorization.substring(BEARER.length()).trim());
  }

  private static PreAuthenticatedAuthenticationToken authentication(Caller caller) {
    Object principal;
    String role;
    if (caller instanceof AgencyCaller agency) {
      principal = agency.agency();
      role = AGENCY;
    } else {
      principal = caller;
      role = ((AdminCaller) caller).role().name();
    }
    return new PreAuthenticatedAuthenticationToken(
        principal, null, List.of(new SimpleGrantedAuthority("ROLE_" + role)));
  }
}
