package cn.gov.honghu.hub.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The byte bound of inbox pulls and relay batches: a prefix within the budget, never empty. */
class ByteBudgetTest {

  private final List<List<Long>> queries = new ArrayList<>();

  /** Items whose size is their id in bytes, loaded by chunk, each chunk recorded. */
  private List<Long> load(List<Long> ids) {
    queries.add(List.copyOf(ids));
    return ids;
  }

  @Test
  void shouldTakeTheLongestPrefixWithinTheBudget() {
    List<Long> ids = LongStream.rangeClosed(1, 100).boxed().toList(); // sizes 1, 2, 3, ...

    List<Long> taken = ByteBudget.take(ids, 55, this::load, size -> size);

    // 1 + 2 + ... + 10 = 55: exactly the budget; 11 more would exceed it
    assertThat(taken).containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    // loaded a chunk at a time, and stopped at the chunk that went over
    assertThat(queries).hasSize(2);
    assertThat(queries.get(0)).hasSize(ByteBudget.CHUNK);
  }

  @Test
  void shouldTakeOneItemLargerThanTheWholeBudget() {
    List<Long> taken = ByteBudget.take(List.of(900L, 1L), 100, this::load, size -> size);

    assertThat(taken).containsExactly(900L);
  }

  @Test
  void shouldTakeEverythingWhenItFits() {
    List<Long> ids = List.of(1L, 2L, 3L);

    assertThat(ByteBudget.take(ids, 1_000, this::load, size -> size)).isEqualTo(ids);
  }

  @Test
  void shouldCountTheUtf8BytesOfChineseTextAndSurrogatePairs() {
    String text = "洪湖 fish 🐟";

    assertThat(ByteBudget.utf8Bytes(text, null, "é"))
        .isEqualTo(
            text.getBytes(StandardCharsets.UTF_8).length
                + "é".getBytes(StandardCharsets.UTF_8).length);
  }
}
