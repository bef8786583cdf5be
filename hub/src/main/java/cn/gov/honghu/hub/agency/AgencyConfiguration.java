package cn.gov.honghu.hub.agency;

import cn.gov.honghu.hub.agency.AgencyRegistry.KeyEntry;
import cn.gov.honghu.hub.agency.Caller.AdminCaller;
import cn.gov.honghu.hub.agency.Caller.AgencyCaller;
import cn.gov.honghu.hub.config.HubConfigurationCheck;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.AgencyConfig;
import cn.gov.honghu.hub.config.HubProperties.AgencyKind;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Builds the {@link AgencyRegistry} from configuration, or from the dev keys when none is set. */
@Configuration(proxyBeanMethods = false)
class AgencyConfiguration {

  @Bean
  AgencyRegistry agencyRegistry(HubProperties hub, Environment environment) throws IOException {
    HubConfigurationCheck.check(hub);
    List<Agency> agencies = new ArrayList<>();
    List<KeyEntry> keys = new ArrayList<>();
    if (hub.agencies().isEmpty()) {
      if (environment.matchesProfiles("prod")) {
        throw new IllegalStateException(
            "hub.agencies: the prod profile refuses to start without configured agencies and keys");
      }
      Map<String, String> hashes =
          DevKeys.loadOrCreate(hub.dataDir(), DefaultAgencies.CODES, "ops");
      for (Agency agency : DefaultAgencies.all()) {
        agencies.add(agency);
        keys.add(new KeyEntry(hex(hashes.get(agency.code())), new AgencyCaller(agency)));
      }
      keys.add(new KeyEntry(hex(hashes.get(DevKeys.ADMIN_PREFIX + "ops")), new AdminCaller("ops")));
    } else {
      for (AgencyConfig config : hub.agencies()) {
        Agency agency =
            new Agency(
                config.code(),
                config.name(),
                config.kind(),
                config.delivery().mode(),
                new LinkedHashSet<>(config.waterAreas()));
        agencies.add(agency);
        keys.add(new KeyEntry(hex(config.apiKeySha256()), new AgencyCaller(agency)));
      }
      if (hub.admins().isEmpty() && environment.matchesProfiles("prod")) {
        throw new IllegalStateException("hub.admins: the prod profile needs at least one admin");
      }
    }
    hub.admins()
        .forEach(a -> keys.add(new KeyEntry(hex(a.apiKeySha256()), new AdminCaller(a.name()))));
    return new AgencyRegistry(agencies, keys);
  }

  private static byte[] hex(String sha256Hex) {
    return HexFormat.of().parseHex(sha256Hex.toLowerCase());
  }

  /** The nine member agencies of HUB-SPEC section 1 with the example water-area subscriptions. */
  static final class DefaultAgencies {
    static final List<String> CODES =
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

    static List<Agency> all() {
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
}
