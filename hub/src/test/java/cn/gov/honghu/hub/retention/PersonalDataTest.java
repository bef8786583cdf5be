package cn.gov.honghu.hub.retention;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Which fields of an envelope are personal data (HUB-SPEC sections 5.1 and 11), and what stays. */
class PersonalDataTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode envelope(String payload) {
    return JSON.readTree("{\"type\":\"X\",\"payload\":" + payload + "}");
  }

  @Test
  void shouldReplaceNamesIdNumbersPhonesAndAddressesOfEveryPartyWhenTheyArePresent() {
    // given
    JsonNode envelope =
        envelope(
            "{\"parties\":[{\"role\":\"SUSPECT\",\"name\":\"张某\",\"idType\":\"RESIDENT_ID\","
                + "\"idNumber\":\"421083198001010013\",\"phone\":\"13800000000\","
                + "\"address\":\"洪湖市某路1号\"},{\"role\":\"COMPANY\",\"name\":\"某公司\","
                + "\"creditCode\":\"91421083MA4C1B2D3E\",\"homeAddress\":{\"city\":\"洪湖\"}}],"
                + "\"facts\":{\"offence\":\"ILLEGAL_FISHING\",\"waterArea\":\"yangtze-honghu\"}}");

    // when
    int removed = PersonalData.remove(envelope);

    // then
    assertThat(removed).isEqualTo(6);
    assertThat(envelope.toString())
        .isEqualTo(
            envelope(
                    "{\"parties\":[{\"role\":\"SUSPECT\",\"name\":\"[removed]\","
                        + "\"idType\":\"RESIDENT_ID\",\"idNumber\":\"[removed]\","
                        + "\"phone\":\"[removed]\",\"address\":\"[removed]\"},"
                        + "{\"role\":\"COMPANY\",\"name\":\"[removed]\","
                        + "\"creditCode\":\"91421083MA4C1B2D3E\",\"homeAddress\":\"[removed]\"}],"
                        + "\"facts\":{\"offence\":\"ILLEGAL_FISHING\","
                        + "\"waterArea\":\"yangtze-honghu\"}}")
                .toString());
  }

  @Test
  void shouldReplaceDefendantsAndSentencedPartiesWhenAnIndictmentOrJudgmentNamesThem() {
    // given
    JsonNode indictment = envelope("{\"defendants\":[\"张某\",\"李某\"],\"charges\":[\"非法捕捞水产品罪\"]}");
    JsonNode judgment =
        envelope(
            "{\"sentences\":[{\"party\":\"张某\",\"penalty\":\"拘役三个月\","
                + "\"communityCorrection\":false}]}");

    // when
    int fromIndictment = PersonalData.remove(indictment);
    int fromJudgment = PersonalData.remove(judgment);

    // then
    assertThat(fromIndictment).isEqualTo(2);
    assertThat(indictment.at("/payload/defendants/1").asString()).isEqualTo("[removed]");
    assertThat(indictment.at("/payload/charges/0").asString()).isEqualTo("非法捕捞水产品罪");
    assertThat(fromJudgment).isOne();
    assertThat(judgment.at("/payload/sentences/0/party").asString()).isEqualTo("[removed]");
    assertThat(judgment.at("/payload/sentences/0/penalty").asString()).isEqualTo("拘役三个月");
  }

  @Test
  void shouldFindNothingToRemoveWhenTheEnvelopeWasClearedAlreadyOrHasNoParties() {
    // given
    JsonNode cleared = envelope("{\"parties\":[{\"role\":\"WITNESS\",\"name\":\"[removed]\"}]}");
    JsonNode alert = envelope("{\"alertId\":\"A-1\",\"waterArea\":\"honghu-lake\"}");

    // then
    assertThat(PersonalData.remove(cleared)).isZero();
    assertThat(PersonalData.remove(alert)).isZero();
  }
}
