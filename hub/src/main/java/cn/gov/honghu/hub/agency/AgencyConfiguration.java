package cn.gov.honghu.hub.agency;

import cn.gov.honghu.hub.agency.AgencyRegistry.KeyEntry;
import cn.gov.honghu.hub.agency.Caller.AdminCaller;
import cn.gov.honghu.hub.agency.Caller.AgencyCaller;
import cn.gov.honghu.hub.config.HubConfigurationCheck;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.AdminConfig;
import cn.gov.honghu.hub.config.HubProperties.AdminRole;
import cn.gov.honghu.hub.config.HubProperties.AgencyConfig;
import cn.gov.honghu.hub.config.ProductionCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Builds the {@link AgencyRegistry} from configuration, or from the dev keys when none is set. */
@Configuration(proxyBeanMethods = false)
class AgencyConfiguration {

  private static final Logger log = LoggerFactory.getLogger(AgencyConfiguration.class);

  @Bean
  AgencyRegistry agencyRegistry(HubProperties hub, Environment environment) throws IOException {
    HubConfigurationCheck.check(hub);
    if (environment.matchesProfiles("prod")) {
      // Before any dev key is generated: prod refuses them, placeholders and missing keys.
      List<String> names = new ArrayList<>(DefaultAgencies.CODES);
      hub.agencies().forEach(a -> names.add(a.code()));
      hub.admins().forEach(a -> names.add(a.name()));
      names.add("ops");
      ProductionCheck.check(hub, environment, DevKeys.weakKeyHashes(hub.dataDir(), names));
    }
    List<Agency> agencies = new ArrayList<>();
    List<KeyEntry> keys = new ArrayList<>();
    List<KeyEntry> certificates = new ArrayList<>();
    if (hub.agencies().isEmpty()) {
      Map<String, String> hashes =
          DevKeys.loadOrCreate(hub.dataDir(), DefaultAgencies.CODES, "ops");
      for (Agency agency : DefaultAgencies.all()) {
        agencies.add(agency);
        keys.add(new KeyEntry(hex(hashes.get(agency.code())), new AgencyCaller(agency)));
      }
      keys.add(
          new KeyEntry(
              hex(hashes.get(DevKeys.ADMIN_PREFIX + "ops")),
              new AdminCaller("ops", AdminRole.ADMIN)));
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
        config
            .apiKeySha256()
            .forEach(h -> keys.add(new KeyEntry(hex(h), new AgencyCaller(agency))));
        config
            .clientCertificateSha256()
            .forEach(h -> certificates.add(new KeyEntry(hex(h), new AgencyCaller(agency))));
      }
    }
    for (AdminConfig admin : hub.admins()) {
      admin
          .apiKeySha256()
          .forEach(
              h -> keys.add(new KeyEntry(hex(h), new AdminCaller(admin.name(), admin.role()))));
    }
    warnWithoutSecondAdmin(hub);
    return new AgencyRegistry(agencies, keys, certificates);
  }

  /**
   * Four eyes needs a second admin: with fewer than two of role {@code admin}, a batch replay over
   * the threshold waits for an approval nobody can give. Said at start, not when it is needed.
   */
  private static void warnWithoutSecondAdmin(HubProperties hub) {
    long admins = hub.admins().stream().filter(a -> a.role() == AdminRole.ADMIN).count();
    if (!hub.admins().isEmpty() && admins < 2) {
      log.warn(
          "hub.admins: {} admin(s) of role admin; a batch replay of more than {} deliveries"
              + " (hub.admin.four-eyes-threshold) needs a second admin to approve it",
          admins,
          hub.admin().fourEyesThreshold());
    }
  }

  private static byte[] hex(String sha256Hex) {
    return HexFormat.of().parseHex(sha256Hex.toLowerCase());
  }
}
