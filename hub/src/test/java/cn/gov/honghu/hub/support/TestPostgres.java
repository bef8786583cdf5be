package cn.gov.honghu.hub.support;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL a PostgreSQL-only test runs against, chosen as UnavailableStoreTest does:
 * HUB_TEST_DB_URL when it names one; in CI (CI=true) otherwise the CI's database. Outside CI
 * without PostgreSQL the test is skipped, never in CI.
 */
public final class TestPostgres {

  /** The PostgreSQL of .ci/run. */
  private static final String CI_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

  private TestPostgres() {}

  public static String url() {
    String url = System.getenv("HUB_TEST_DB_URL");
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      if (!inCi()) {
        Assumptions.abort(
            "needs PostgreSQL: set HUB_TEST_DB_URL=jdbc:postgresql://... (required when CI=true)");
      }
      url = CI_POSTGRES;
    }
    requireReachable(URI.create(url.substring("jdbc:".length())));
    return url;
  }

  public static String user() {
    String user = System.getenv("HUB_TEST_DB_USER");
    return user == null || user.isBlank() ? "postgres" : user;
  }

  /** The same server, another database. */
  public static String withDatabase(String url, String database) {
    URI uri = URI.create(url.substring("jdbc:".length()));
    return "jdbc:postgresql://"
        + uri.getHost()
        + ":"
        + (uri.getPort() == -1 ? 5432 : uri.getPort())
        + "/"
        + database;
  }

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static void requireReachable(URI target) {
    int port = target.getPort() == -1 ? 5432 : target.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(target.getHost(), port), 2_000);
    } catch (java.io.IOException e) {
      String why = "PostgreSQL at " + target.getHost() + ":" + port + " is unreachable: " + e;
      if (inCi()) {
        throw new AssertionError("CI=true, so this test must run, but " + why);
      }
      Assumptions.abort(why);
    }
  }
}
