package cn.gov.honghu.hub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.support.ApplicationTest;
import cn.gov.honghu.hub.support.HubClient;
import cn.gov.honghu.hub.support.HubClient.Answer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Keyset pages of an admin list (issue 15): following {@code nextCursor} with {@code after} walks
 * the same items in the same order as {@code page}, without the total (a count over the history),
 * while the OFFSET pages keep it.
 */
@ApplicationTest
class RejectedPagingTest {

  private static final String ADMIN = "ops-test-key";
  private static final String AGENCY = "market";
  private static final String LIST = "/admin/v1/rejected?agency=" + AGENCY + "&size=2";

  @LocalServerPort int port;
  HubClient hub;

  @BeforeEach
  void client() {
    hub = new HubClient(port);
  }

  @Test
  void shouldWalkTheSameItemsByCursorAsByPageWhenRefusalsArePaged() {
    // given: five refusals of one agency
    for (int i = 0; i < 5; i++) {
      assertThat(
              hub.postRaw(AGENCY, "application/json", "{".getBytes(StandardCharsets.UTF_8))
                  .status())
          .isEqualTo(400);
    }

    // when
    List<JsonNode> byPage = new ArrayList<>();
    long total = -1;
    for (int page = 0; page < 1000; page++) {
      Answer answer = hub.getWithKey(ADMIN, LIST + "&page=" + page);
      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      total = answer.get("total").asLong();
      answer.get("items").forEach(byPage::add);
      if (answer.get("items").size() < 2) {
        break;
      }
    }
    List<JsonNode> byCursor = new ArrayList<>();
    Answer answer = hub.getWithKey(ADMIN, LIST);
    byCursor.addAll(items(answer));
    while (answer.get("nextCursor") != null) {
      answer = hub.getWithKey(ADMIN, LIST + "&after=" + answer.get("nextCursor").asString());
      assertThat(answer.status()).as(answer.text()).isEqualTo(200);
      assertThat(answer.get("total")).as("no count on a cursor page").isNull();
      byCursor.addAll(items(answer));
    }

    // then
    assertThat(total).isEqualTo(byPage.size()).isGreaterThanOrEqualTo(5);
    assertThat(byCursor).containsExactlyElementsOf(byPage);
  }

  @Test
  void shouldRefuseWith400WhenTheCursorIsNotOneTheHubGave() {
    // when
    Answer bad = hub.getWithKey(ADMIN, LIST + "&after=not-a-cursor");
    Answer both = hub.getWithKey(ADMIN, LIST + "&page=1&after=fDE");

    // then
    assertThat(bad.status()).isEqualTo(400);
    assertThat(both.status()).isEqualTo(400);
  }

  private static List<JsonNode> items(Answer answer) {
    List<JsonNode> items = new ArrayList<>();
    answer.get("items").forEach(items::add);
    return items;
  }
}
