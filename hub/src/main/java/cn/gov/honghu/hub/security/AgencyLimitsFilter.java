package cn.gov.honghu.hub.security;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.security.AgencyLimits.Refusal;
import cn.gov.honghu.hub.web.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Applies {@link AgencyLimits} to an authenticated agency's request: the message rate to ingest
 * posts, the cap on requests in flight to all of its requests. Over either: 429 {@code
 * rate-limited} with {@code Retry-After}, counted in {@code hub_requests_limited_total}.
 */
final class AgencyLimitsFilter extends OncePerRequestFilter {

  private final AgencyLimits limits;
  private final HandlerExceptionResolver problems;
  private final MeterRegistry meters;

  AgencyLimitsFilter(AgencyLimits limits, HandlerExceptionResolver problems, MeterRegistry meters) {
    this.limits = limits;
    this.problems = problems;
    this.meters = meters;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !(authentication.getPrincipal() instanceof Agency agency)) {
      chain.doFilter(request, response);
      return;
    }
    if (ApiPaths.isIngest(request)) {
      Optional<Refusal> tooFast = limits.admitMessage(agency.code());
      if (tooFast.isPresent()) {
        refuse(request, response, agency, "rate", tooFast.get(), "messages faster than");
        return;
      }
    }
    Optional<Refusal> tooMany = limits.enter(agency.code());
    if (tooMany.isPresent()) {
      refuse(request, response, agency, "concurrency", tooMany.get(), "more requests at once than");
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      limits.leave(agency.code());
    }
  }

  private void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      Agency agency,
      String limit,
      Refusal refusal,
      String what) {
    Counter.builder("hub.requests.limited")
        .description("Requests refused with 429 by a per-agency limit")
        .tag("agency", agency.code())
        .tag("limit", limit)
        .register(meters)
        .increment();
    problems.resolveException(
        request,
        response,
        null,
        ProblemException.rateLimited(
            refusal.retryAfterSeconds(),
            "your agency sends " + what + " its limit allows; retry after Retry-After seconds"));
  }
}
