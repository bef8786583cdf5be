package cn.gov.honghu.hub.security;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.agency.Caller;
import cn.gov.honghu.hub.agency.Caller.AdminCaller;
import cn.gov.honghu.hub.agency.Caller.AgencyCaller;
import cn.gov.honghu.hub.web.ProblemException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Authenticates every {@code /api} and {@code /admin} request by its {@code Authorization: Bearer}
 * key before anything reads its body: a missing or unknown key is answered 401 here, so it costs
 * the hub the headers only. The caller becomes the request's principal: the {@link
 * cn.gov.honghu.hub.agency.Agency} for an agency key, the {@link AdminCaller} for an admin key,
 * with the role {@code AGENCY}, or the admin's role ({@code OPERATOR}, {@code ADMIN}, {@code
 * AUDITOR}), that {@link SecurityConfiguration} checks. The caller is also left in the request
 * attribute {@link #CALLER}, so that a refusal can say which role was refused.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

  static final String AGENCY = "AGENCY";
  static final String CALLER = ApiKeyFilter.class.getName() + ".caller";
  private static final String BEARER = "Bearer ";

  private final AgencyRegistry registry;
  private final AuthFailures failures;
  private final HandlerExceptionResolver problems;

  ApiKeyFilter(AgencyRegistry registry, AuthFailures failures, HandlerExceptionResolver problems) {
    this.registry = registry;
    this.failures = failures;
    this.problems = problems;
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
      problems.resolveException(
          request,
          response,
          null,
          ProblemException.rateLimited(
              failures.secondsLeftInMinute(),
              "too many failed authentications from this address; wait for the next minute"));
      return;
    }
    Optional<Caller> caller = bearerKey(request).flatMap(registry::authenticate);
    if (caller.isEmpty()) {
      failures.record(address);
      problems.resolveException(request, response, null, ProblemException.unauthorized());
      return;
    }
    request.setAttribute(CALLER, caller.get());
    SecurityContextHolder.getContext().setAuthentication(authentication(caller.get()));
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
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
