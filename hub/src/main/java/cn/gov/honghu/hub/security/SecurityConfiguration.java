package cn.gov.honghu.hub.security;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.agency.Caller.AdminCaller;
import cn.gov.honghu.hub.audit.AuditTrail;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.AdminRole;
import cn.gov.honghu.hub.config.HubProperties.AgencyConfig;
import cn.gov.honghu.hub.security.AgencyLimits.Rate;
import cn.gov.honghu.hub.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The security of the API (HUB-SPEC sections 10 and 11) as one Spring Security filter chain, in
 * this order: {@link ApiKeyFilter} (401 before any body is read; 429 for an address that failed too
 * often), the roles ({@code /api/**} agencies; {@code /admin/**} by admin role: reads for {@code
 * operator} and {@code admin}, changes for {@code admin} only, {@code /admin/v1/audit*} reads for
 * {@code auditor} too; else 403), {@link AgencyLimitsFilter} (429), {@link BodyLimitFilter} (413).
 * No sessions, no cookies, no CSRF tokens: every request carries its key. Refusals are answered by
 * the same problem answers as the controllers' ({@code handlerExceptionResolver}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET) // not in a CLI start
public class SecurityConfiguration {

  private static final String OPERATOR = AdminRole.OPERATOR.name();
  private static final String ADMIN = AdminRole.ADMIN.name();
  private static final String AUDITOR = AdminRole.AUDITOR.name();

  /** The audit chain's endpoints, the only ones an auditor reaches. */
  private static final String[] AUDIT = {"/admin/v1/audit", "/admin/v1/audit/**"};

  @Bean
  AgencyLimits agencyLimits(HubProperties hub) {
    Map<String, Rate> rates = new HashMap<>();
    for (AgencyConfig agency : hub.agencies()) {
      Double perSecond =
          agency.ratePerSecond() != null ? agency.ratePerSecond() : hub.ingest().ratePerSecond();
      if (perSecond == null) {
        continue; // off for this agency
      }
      Integer burst = agency.burst() != null ? agency.burst() : hub.ingest().burst();
      rates.put(
          agency.code(),
          new Rate(perSecond, burst != null ? burst : (int) Math.max(1, Math.ceil(perSecond))));
    }
    return new AgencyLimits(rates, hub.ingest().maxConcurrent());
  }

  @Bean
  SecurityFilterChain apiSecurity(
      HttpSecurity http,
      AgencyRegistry registry,
      AgencyLimits limits,
      HubProperties hub,
      Clock clock,
      MeterRegistry meters,
      AuditTrail audit,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems)
      throws Exception {
    ApiKeyFilter keys =
        new ApiKeyFilter(
            registry,
            new AuthFailures(hub.security().maxAuthFailuresPerMinute(), clock),
            problems,
            audit,
            clock);
    http.csrf(csrf -> csrf.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .anonymous(anonymous -> anonymous.disable())
        .sessionManagement(
            sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(keys, AuthorizationFilter.class)
        .addFilterAfter(new AgencyLimitsFilter(limits, problems, meters), AuthorizationFilter.class)
        .addFilterAfter(
            new BodyLimitFilter(hub.api().maxBodySize().toBytes(), problems),
            AgencyLimitsFilter.class)
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/api/**")
                    .hasRole(ApiKeyFilter.AGENCY)
                    // The admin roles (HUB-SPEC section 11), in this one place; first match wins.
                    .requestMatchers(HttpMethod.GET, AUDIT)
                    .hasAnyRole(OPERATOR, ADMIN, AUDITOR)
                    .requestMatchers(HttpMethod.HEAD, AUDIT)
                    .hasAnyRole(OPERATOR, ADMIN, AUDITOR)
                    .requestMatchers(HttpMethod.GET, "/admin/**")
                    .hasAnyRole(OPERATOR, ADMIN)
                    .requestMatchers(HttpMethod.HEAD, "/admin/**")
                    .hasAnyRole(OPERATOR, ADMIN)
                    .requestMatchers("/admin/**")
                    .hasRole(ADMIN)
                    .anyRequest()
                    .permitAll())
        .exceptionHandling(
            refusals ->
                refusals
                    .authenticationEntryPoint(
                        (request, response, e) ->
                            problems.resolveException(
                                request, response, null, ProblemException.unauthorized()))
                    .accessDeniedHandler(
                        (request, response, e) ->
                            problems.resolveException(
                                request, response, null, wrongCredential(request))));
    return http.build();
  }

  /**
   * A request Spring Security's firewall refuses before any filter runs ({@code ../} or {@code ;}
   * in the path, a control or non-ASCII character in a header, ...): 400 as a problem, like every
   * other refusal, instead of the servlet container's error page.
   */
  @Bean
  RequestRejectedHandler problemForRejectedRequests(
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
    return (request, response, rejected) ->
        problems.resolveException(
            request,
            response,
            null,
            ProblemException.badRequest(
                "the request was refused: its path or headers contain characters not allowed"));
  }

  /** A valid key on the other side of the API, or an admin key outside its role. */
  private static ProblemException wrongCredential(HttpServletRequest request) {
    if (!ApiPaths.isAdmin(request)) {
      return ProblemException.forbidden("this endpoint is for agency systems; use an agency key");
    }
    if (request.getAttribute(ApiKeyFilter.CALLER) instanceof AdminCaller admin) {
      String role = admin.role().name().toLowerCase(Locale.ROOT);
      return ProblemException.forbidden(
              "the role "
                  + role
                  + " may not "
                  + request.getMethod()
                  + " this endpoint: operator reads the admin views, admin also replays,"
                  + " discards and approves, auditor reads only /admin/v1/audit")
          .with("role", role);
    }
    return ProblemException.forbidden("this endpoint needs an admin credential");
  }
}
