package cn.gov.honghu.hub.web;

import java.util.List;

/** The items of a page and the cursor after its last item; null when the page was not full. */
public record Keyed<T>(List<T> items, String nextCursor) {

  /** {@code positions}: the cursor of each item, in order. */
  public static <T> Keyed<T> of(List<T> items, List<Cursor> positions, int size) {
    return new Keyed<>(
        items,
        items.size() == size && size > 0 ? positions.get(positions.size() - 1).encode() : null);
  }
}
