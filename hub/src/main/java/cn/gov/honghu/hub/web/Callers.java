package cn.gov.honghu.hub.web;

import cn.gov.honghu.hub.agency.Agency;
import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.agency.Caller;
import cn.gov.honghu.hub.agency.Caller.AgencyCaller;

/** Resolves the {@code Authorization: Bearer} header of a request to its caller. */
public final class Callers {

  private static final String BEARER = "Bearer ";

  private final AgencyRegistry registry;

  public Callers(AgencyRegistry registry) {
    this.registry = registry;
  }

  /** The calling agency; 401 without a known key, 403 for an admin key on an agency endpoint. */
  public Agency requireAgency(String authorization) {
    Caller caller = require(authorization);
    if (caller instanceof AgencyCaller agencyCaller) {
      return agencyCaller.agency();
    }
    throw ProblemException.forbidden("this endpoint is for agency systems; use an agency key");
  }

  /** The calling admin's name; 401 without a known key, 403 for an agency key. */
  public String requireAdmin(String authorization) {
    Caller caller = require(authorization);
    if (caller instanceof Caller.AdminCaller admin) {
      return admin.name();
    }
    throw ProblemException.forbidden("this endpoint needs an admin credential");
  }

  private Caller require(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ProblemException.unauthorized();
    }
    return registry
        .authenticate(authorization.substring(BEARER.length()).trim())
        .orElseThrow(ProblemException::unauthorized);
  }
}
