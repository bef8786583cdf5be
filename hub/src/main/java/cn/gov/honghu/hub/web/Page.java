package cn.gov.honghu.hub.web;

import java.util.List;

/** One page of a list (HUB-SPEC section 3): {@code page} from 0, {@code size} at most 500. */
public record Page<T>(List<T> items, long total, int page, int size) {

  public static final int MAX_SIZE = 500;

  /** Refuses a page request out of range with a 400. */
  public static void check(int page, int size) {
    if (page < 0 || size < 1 || size > MAX_SIZE) {
      throw ProblemException.badRequest("page must be >= 0 and size between 1 and " + MAX_SIZE);
    }
  }
}
