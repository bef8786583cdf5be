package cn.gov.honghu.hub.agency;

import cn.gov.honghu.hub.config.HubProperties.AgencyKind;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import java.util.LinkedHashSet;
import java.util.List;

/** The nine member agencies of HUB-SPEC section 1 with the example water-area subscriptions. */
public final class DefaultAgencies {
  public static final List<String> CODES =
      List.of(
          "police",
          "procuratorate",
          "court",
          "justice",
          "environment",
          "agriculture",
          "natural-resources",
          "water",
          "market");

  private DefaultAgencies() {}

  public static List<Agency> all() {
    List<String> both = List.of("yangtze-honghu", "honghu-lake");
    return List.of(
        agency("police", "洪湖市公安局", AgencyKind.JUDICIAL, both),
        agency("procuratorate", "洪湖市人民检察院", AgencyKind.JUDICIAL, List.of()),
        agency("court", "洪湖市人民法院", AgencyKind.JUDICIAL, List.of()),
        agency("justice", "洪湖市司法局", AgencyKind.ADMINISTRATIVE, List.of()),
        agency("environment", "荆州市生态环境局洪湖市分局", AgencyKind.ADMINISTRATIVE, both),
        agency("agriculture", "洪湖市农业农村局", AgencyKind.ADMINISTRATIVE, both),
        agency("natural-resources", "洪湖市自然资源和规划局", AgencyKind.ADMINISTRATIVE, List.of()),
        agency("water", "洪湖市水利和湖泊局", AgencyKind.ADMINISTRATIVE, both),
        agency("market", "洪湖市市场监督管理局", AgencyKind.ADMINISTRATIVE, both));
  }

  private static Agency agency(String code, String name, AgencyKind kind, List<String> areas) {
    return new Agency(code, name, kind, DeliveryMode.PULL, new LinkedHashSet<>(areas));
  }
}
