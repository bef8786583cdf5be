package cn.gov.honghu.hub.config;

import cn.gov.honghu.hub.config.HubProperties.AgencyConfig;
import cn.gov.honghu.hub.config.HubProperties.BanSeason;
import cn.gov.honghu.hub.config.HubProperties.DeliveryMode;
import cn.gov.honghu.hub.config.HubProperties.WaterAreaConfig;
import java.net.URI;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.scheduling.support.CronExpression;

/**
 * Checks that span several entries of {@link HubProperties}, which bean constraints cannot express.
 * Every problem names its configuration key, so an operator can fix the file at once.
 */
public final class HubConfigurationCheck {

  private HubConfigurationCheck() {}

  /** Throws {@link InvalidHubConfigurationException} listing every problem found. */
  public static void check(HubProperties hub) {
    List<String> problems = new ArrayList<>();
    Set<String> areas = new HashSet<>();
    for (int i = 0; i < hub.waterAreas().size(); i++) {
      WaterAreaConfig area = hub.waterAreas().get(i);
      String key = "hub.water-areas[" + i + "]";
      if (!areas.add(area.code())) {
        problems.add(key + ".code: duplicate water area '" + area.code() + "'");
      }
      if (area.fullBan() && (area.banFrom() == null || area.banTo() == null)) {
        problems.add(key + ": full-ban needs ban-from and ban-to");
      }
      if (area.banFrom() != null && area.banTo() != null && area.banTo().isBefore(area.banFrom())) {
        problems.add(key + ".ban-to: before ban-from");
      }
      for (int s = 0; s < area.banSeasons().size(); s++) {
        BanSeason season = area.banSeasons().get(s);
        checkMonthDay(problems, key + ".ban-seasons[" + s + "].from", season.from());
        checkMonthDay(problems, key + ".ban-seasons[" + s + "].to", season.to());
      }
    }
    Set<String> codes = new HashSet<>();
    Set<String> keyHashes = new HashSet<>();
    Set<String> certificateHashes = new HashSet<>();
    Set<String> brokerUsers = new HashSet<>();
    for (int i = 0; i < hub.agencies().size(); i++) {
      AgencyConfig agency = hub.agencies().get(i);
      String key = "hub.agencies[" + i + "]";
      if ("hub".equals(agency.code())) {
        problems.add(key + ".code: 'hub' is reserved for hub-generated messages");
      }
      if (!codes.add(agency.code())) {
        problems.add(key + ".code: duplicate agency code '" + agency.code() + "'");
      }
      for (String hash : agency.apiKeySha256()) {
        if (!keyHashes.add(hash.toLowerCase())) {
          problems.add(key + ".api-key-sha256: the same key is configured for two agencies");
        }
      }
      for (String hash : agency.clientCertificateSha256()) {
        if (!certificateHashes.add(hash.toLowerCase())) {
          problems.add(
              key + ".client-certificate-sha256: the same certificate is configured twice");
        }
      }
      if (agency.apiKeySha256().isEmpty() && agency.clientCertificateSha256().isEmpty()) {
        problems.add(key + ".api-key-sha256: required (or client-certificate-sha256)");
      } else if (agency.apiKeySha256().isEmpty()
          && hub.tls().clientAuth() == HubProperties.ClientAuth.NONE) {
        problems.add(
            key
                + ".api-key-sha256: required while hub.tls.client-auth is none (no client"
                + " certificate is asked for)");
      }
      if (agency.delivery().mode() == DeliveryMode.WEBHOOK) {
        if (agency.delivery().url() == null || !isHttpUrl(agency.delivery().url())) {
          problems.add(key + ".delivery.url: an http(s) URL is required for webhook delivery");
        }
        if (agency.delivery().secret() == null || agency.delivery().secret().isBlank()) {
          problems.add(key + ".delivery.secret: required for webhook delivery");
        }
      }
      if (agency.delivery().mode() == DeliveryMode.JMS) {
        // The agency's broker account (README "Delivery by JMS"); a name given twice would share
        // the roles, so one agency could read another's queue.
        String user = agency.delivery().user();
        if (user == null || user.isBlank()) {
          problems.add(key + ".delivery.user: required for jms delivery");
        } else if (!brokerUsers.add(user)) {
          problems.add(key + ".delivery.user: the same broker user is configured for two agencies");
        }
        if (agency.delivery().password() == null || agency.delivery().password().isBlank()) {
          problems.add(key + ".delivery.password: required for jms delivery");
        }
      }
      for (int w = 0; w < agency.waterAreas().size(); w++) {
        if (!areas.contains(agency.waterAreas().get(w))) {
          problems.add(
              key
                  + ".water-areas["
                  + w
                  + "]: unknown water area '"
                  + agency.waterAreas().get(w)
                  + "' (not in hub.water-areas)");
        }
      }
    }
    Set<String> adminNames = new HashSet<>();
    for (int i = 0; i < hub.admins().size(); i++) {
      // Four eyes tells admins apart by name: two keys under one name could approve their own.
      if (!adminNames.add(hub.admins().get(i).name())) {
        problems.add("hub.admins[" + i + "].name: duplicate admin name");
      }
      for (String hash : hub.admins().get(i).apiKeySha256()) {
        if (!keyHashes.add(hash.toLowerCase())) {
          problems.add("hub.admins[" + i + "].api-key-sha256: the same key is used elsewhere");
        }
      }
    }
    if (hub.ingest().maxBodySize().toBytes() < 1024) {
      problems.add("hub.ingest.max-body-size: must be at least 1KB");
    }
    checkRetention(problems, hub.retention());
    if (hub.disk().minFree().toBytes() > hub.disk().warnFree().toBytes()) {
      problems.add("hub.disk.min-free: larger than hub.disk.warn-free");
    }
    if (!problems.isEmpty()) {
      throw new InvalidHubConfigurationException(problems);
    }
  }

  private static void checkRetention(List<String> problems, HubProperties.Retention retention) {
    if (retention.finishedDeliveries().isNegative() || retention.finishedDeliveries().isZero()) {
      problems.add("hub.retention.finished-deliveries: must be positive");
    }
    if (retention.personalData().isNegative() || retention.personalData().isZero()) {
      problems.add("hub.retention.personal-data: must be positive");
    }
    if (!"-".equals(retention.schedule())
        && !CronExpression.isValidExpression(retention.schedule())) {
      problems.add(
          "hub.retention.schedule: not a cron expression (six fields, e.g. '0 30 2 * * *'), nor"
              + " '-' for never");
    }
  }

  private static void checkMonthDay(List<String> problems, String key, String value) {
    try {
      MonthDay.parse("--" + value);
    } catch (DateTimeParseException e) {
      problems.add(key + ": not a month-day MM-DD");
    }
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = URI.create(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
