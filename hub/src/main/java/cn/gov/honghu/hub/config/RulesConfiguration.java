package cn.gov.honghu.hub.config;

import cn.gov.honghu.hub.agency.AgencyRegistry;
import cn.gov.honghu.hub.alerts.AlertIndex;
import cn.gov.honghu.hub.cases.CaseIndex;
import cn.gov.honghu.hub.cases.TransferOmissions;
import cn.gov.honghu.hub.deadlines.DeadlineBook;
import cn.gov.honghu.hub.legal.CitationCheck;
import cn.gov.honghu.hub.parties.PartyHistory;
import cn.gov.honghu.hub.parties.PartyKeys;
import cn.gov.honghu.hub.routing.Router;
import cn.gov.honghu.hub.rules.RulesFile;
import cn.gov.honghu.hub.thresholds.BanCalendar;
import cn.gov.honghu.hub.thresholds.CaseAssessor;
import cn.gov.honghu.hub.thresholds.ThresholdRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wires the rules file and what reads it: routing, the threshold assessment with the ban calendar
 * and the party history, and the citation check.
 */
@Configuration(proxyBeanMethods = false)
class RulesConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RulesConfiguration.class);
  static final String PARTY_KEY_FILE = "party-hash.key";

  /**
   * The rules file in force ({@code hub.rules-file}); a bad file stops the hub, naming the entry.
   */
  @Bean
  RulesFile rulesFile(HubProperties hub, ResourceLoader resources) throws IOException {
    Resource file = resources.getResource(hub.rulesFile());
    if (!file.exists()) {
      throw new IllegalStateException("hub.rules-file: no file at " + hub.rulesFile());
    }
    RulesFile rules = RulesFile.load(file.getInputStream(), hub.rulesFile());
    log.info("Rules file {} version {} in force", hub.rulesFile(), rules.version());
    return rules;
  }

  @Bean
  Router router(
      RulesFile rules,
      AgencyRegistry agencies,
      CaseIndex cases,
      AlertIndex alerts,
      DeadlineBook deadlines,
      Clock clock,
      HubProperties hub) {
    return new Router(
        rules.routing(),
        agencies,
        cases,
        alerts,
        deadlines,
        rules.thresholds().clauses().stream()
            .map(ThresholdRules.Rule::id)
            .collect(Collectors.toSet()),
        clock,
        hub.zone());
  }

  @Bean
  TransferOmissions transferOmissions(JdbcTemplate jdbc) {
    return new TransferOmissions(jdbc);
  }

  @Bean
  CaseAssessor caseAssessor(
      RulesFile rules, HubProperties hub, JdbcTemplate jdbc, Clock clock, Environment environment)
      throws IOException {
    BanCalendar calendar =
        new BanCalendar(
            hub.waterAreas().stream()
                .map(
                    area ->
                        new BanCalendar.WaterArea(
                            area.code(),
                            area.fullBan(),
                            area.banFrom(),
                            area.banTo(),
                            area.banSeasons().stream()
                                .map(s -> BanCalendar.Season.of(s.from(), s.to()))
                                .toList()))
                .toList(),
            hub.zone());
    return new CaseAssessor(
        rules.thresholds(),
        calendar,
        new CitationCheck(rules.laws()),
        new PartyKeys(partyHashKey(hub, environment)),
        new PartyHistory(jdbc),
        clock,
        hub.zone());
  }

  /**
   * The secret of the party hashes: {@code hub.party-hash-key}, shared by every instance of a
   * deployment; without it (the embedded default) a random key kept in the data directory. Changing
   * the key forgets the party history, which is why a generated one is never replaced.
   */
  private static byte[] partyHashKey(HubProperties hub, Environment environment)
      throws IOException {
    if (hub.partyHashKey() != null && !hub.partyHashKey().isBlank()) {
      if (hub.partyHashKey().length() < 16) {
        throw new IllegalStateException("hub.party-hash-key: at least 16 characters");
      }
      return hub.partyHashKey().getBytes(StandardCharsets.UTF_8);
    }
    if (environment.matchesProfiles("prod")) {
      throw new IllegalStateException(
          "hub.party-hash-key: the prod profile needs a key shared by every instance");
    }
    Path file = hub.dataDir().resolve(PARTY_KEY_FILE);
    if (!Files.exists(file)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.createDirectories(hub.dataDir());
      Files.writeString(file, Base64.getEncoder().encodeToString(key));
      log.warn(
          "hub.party-hash-key is not set: generated one in {}; set the same key on every instance"
              + " of a deployment",
          file);
    }
    return Base64.getDecoder().decode(Files.readString(file).strip());
  }
}
