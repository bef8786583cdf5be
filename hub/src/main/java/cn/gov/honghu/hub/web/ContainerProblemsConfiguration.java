package cn.gov.honghu.hub.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;

/**
 * Refusals by the servlet container itself, before any of the hub's code runs (a request target
 * with {@code %00}, an encoded {@code /} or a bad escape, a header with a control character):
 * answered as {@code application/problem+json} like every other refusal (HUB-SPEC section 3),
 * instead of Tomcat's HTML error page.
 */
@Configuration(proxyBeanMethods = false)
class ContainerProblemsConfiguration {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> containerProblemReports() {
    return new ReplaceErrorReportValve();
  }

  /** Ordered after Spring Boot's customizer, whose error report valve this one replaces. */
  private static final class ReplaceErrorReportValve
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> {
            if (!(context.getParent() instanceof StandardHost host)) {
              return;
            }
            for (Valve valve : host.getPipeline().getValves()) {
              if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
              }
            }
            host.getPipeline().addValve(new ProblemReportValve());
            // the host adds a valve of this class when it starts, unless it has one already
            host.setErrorReportValveClass(ProblemReportValve.class.getName());
          });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }

  /** Writes the container's error answers as problems; never anything from the request. */
  public static final class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int status = response.getStatus();
      if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      AtomicBoolean ioAllowed = new AtomicBoolean(false);
      response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
      if (!ioAllowed.get()) {
        return;
      }
      HttpStatus known = HttpStatus.resolve(status);
      String title = known == null ? "Error" : known.getReasonPhrase();
      String type = status == 400 ? "bad-request" : status >= 500 ? "internal-error" : "refused";
      String body =
          "{\"type\":\"urn:hub:problem:"
              + type
              + "\",\"title\":\""
              + title
              + "\",\"status\":"
              + status
              + ",\"detail\":\"the request could not be read (request line or headers"
              + " malformed)\"}";
      try {
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        Writer writer = response.getReporter();
        if (writer != null) {
          writer.write(body);
          response.finishResponse();
        }
      } catch (IOException | IllegalStateException e) {
        // the connection is gone or the answer started: nothing more to say
      }
    }
  }
}
