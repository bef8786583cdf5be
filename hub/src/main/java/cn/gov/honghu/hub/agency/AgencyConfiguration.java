package cn.gov.honghu.hub.agency;

import cn.gov.honghu.hub.agency.AgencyRegistry.KeyEntry;
import cn.gov.honghu.hub.agency.Caller.AdminCaller;
import cn.gov.honghu.hub.agency.Caller.AgencyCaller;
import cn.gov.honghu.hub.config.HubConfigurationCheck;
import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.HubProperties.AdminRole;
import cn.gov.honghu.hub.config.HubProperties.AgencyConfig;
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
        keys.add(new KeyEntry(hex(config.apiKeySha256()), new AgencyCaller(agency)));
      }
      if (hub.admins().isEmpty() && environment.matchesProfiles("prod")) {
        throw new IllegalStateException("hub.admins: the prod profile needs at least one admin");
      }
    }
    hub.admins()
        .forEach(
            a ->
                keys.add(new KeyEntry(hex(a.apiKeySha256()), new AdminCaller(a.name(), a.role()))));
    warnWithoutSecondAdmin(hub);
    return new AgencyRegistry(agencies, keys);
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
