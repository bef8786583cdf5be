package cn.gov.honghu.hub.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Loads a batch of deliveries in order, a few at a time, until it holds {@code maxBytes} of them
 * (at least one): a pull or a relay batch of 500 items of up to 1 MiB each would otherwise hold
 * half a gigabyte in a heap of 256 MiB. What is left out waits for the next pull or batch.
 */
final class ByteBudget {

  /** Items loaded per query: the most the budget can be overshot by, less one item. */
  static final int CHUNK = 8;

  private ByteBudget() {}

  /**
   * The longest prefix of {@code ids}' items whose sizes add up to at most {@code maxBytes}, or the
   * first item alone if it is larger. {@code load} returns the items of some ids in their order.
   */
  static <T> List<T> take(
      List<Long> ids, long maxBytes, Function<List<Long>, List<T>> load, ToLongFunction<T> size) {
    List<T> taken = new ArrayList<>();
    long bytes = 0;
    for (int from = 0; from < ids.size(); from += CHUNK) {
      for (T item : load.apply(ids.subList(from, Math.min(ids.size(), from + CHUNK)))) {
        long itemBytes = size.applyAsLong(item);
        if (!taken.isEmpty() && bytes + itemBytes > maxBytes) {
          return taken;
        }
        taken.add(item);
        bytes += itemBytes;
      }
    }
    return taken;
  }

  /** An item's size as sent: its stored JSON in UTF-8. */
  static long utf8Bytes(String... texts) {
    long bytes = 0;
    for (String text : texts) {
      if (text == null) {
        continue;
      }
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 0x80) {
          bytes += 1;
        } else if (c < 0x800) {
          bytes += 2;
        } else if (Character.isHighSurrogate(c)) {
          bytes += 4;
          i++;
        } else {
          bytes += 3;
        }
      }
    }
    return bytes;
  }
}
