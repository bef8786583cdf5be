package cn.gov.honghu.hub.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of a list (HUB-SPEC section 3): {@code page} from 0, {@code size} at most 500.
 *
 * <p>Lists that can grow with the history also page by key (issue 15): {@code nextCursor} is set
 * while a full page came back, and passed as {@code after} it continues right after the last item
 * at the cost of one index range, however deep. {@code total} counts every match, so it is left out
 * of the pages asked for with {@code after}; OFFSET pages keep it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, Long total, int page, int size, String nextCursor) {

  public static final int MAX_SIZE = 500;

  public Page(List<T> items, long total, int page, int size) {
    this(items, total, page, size, null);
  }

  /** Refuses a page request out of range with a 400. */
  public static void check(int page, int size) {
    if (page < 0 || size < 1 || size > MAX_SIZE) {
      throw ProblemException.badRequest("page must be >= 0 and size between 1 and " + MAX_SIZE);
    }
  }

  /** Refuses {@code after} together with a page other than the first. */
  public static void check(int page, int size, String after) {
    check(page, size);
    if (after != null && page != 0) {
      throw ProblemException.badRequest("after and page cannot be combined");
    }
  }
}
