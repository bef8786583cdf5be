package cn.gov.honghu.hub.security;

import cn.gov.honghu.hub.web.BodyTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Bounds every request body other than ingest's to {@code hub.api.max-body-size} while it is read
 * (HUB-SPEC section 11): a declared length over the limit is refused before reading, and a body
 * without one (chunked) stops being read at the limit. Either way: 413. Ingest bounds its own body
 * (with its refusal recorded), to {@code hub.ingest.max-body-size}.
 */
final class BodyLimitFilter extends OncePerRequestFilter {

  private final long maxBytes;
  private final HandlerExceptionResolver problems;

  BodyLimitFilter(long maxBytes, HandlerExceptionResolver problems) {
    this.maxBytes = maxBytes;
    this.problems = problems;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return ApiPaths.isIngest(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBytes) {
      problems.resolveException(request, response, null, BodyTooLargeException.problem(maxBytes));
      return;
    }
    chain.doFilter(new Bounded(request, maxBytes), response);
  }

  /** The request with its body stream cut at the limit. */
  private static final class Bounded extends HttpServletRequestWrapper {

    private final long maxBytes;
    private ServletInputStream bounded;

    Bounded(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (bounded == null) {
        bounded = new BoundedStream(super.getInputStream(), maxBytes);
      }
      return bounded;
    }
  }

  /** Throws {@link BodyTooLargeException} when the body goes past the limit. */
  private static final class BoundedStream extends ServletInputStream {

    private final ServletInputStream in;
    private final long maxBytes;
    private long read;

    BoundedStream(ServletInputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      read += n;
      if (read > maxBytes) {
        throw new BodyTooLargeException(maxBytes);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
