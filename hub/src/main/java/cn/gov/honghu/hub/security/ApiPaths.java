package cn.gov.honghu.hub.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Which requests the filters of {@link SecurityConfiguration} treat how: the endpoints that need a
 * key, and ingest (its own body limit and the message rate). Kept out of the configuration class,
 * which no filter may depend on (the wiring is a leaf).
 */
final class ApiPaths {

  static final String INGEST = "/api/v1/messages";

  private ApiPaths() {}

  /** The endpoints that need a key; actuator, OpenAPI and Swagger UI do not. */
  static boolean isProtected(HttpServletRequest request) {
    String path = path(request);
    return path.startsWith("/api/") || path.startsWith("/admin/");
  }

  static boolean isIngest(HttpServletRequest request) {
    return "POST".equals(request.getMethod()) && INGEST.equals(path(request));
  }

  static boolean isAdmin(HttpServletRequest request) {
    return path(request).startsWith("/admin/");
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }
}
