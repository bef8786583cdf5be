package cn.gov.honghu.hub.thresholds;

import cn.gov.honghu.hub.config.HubProperties;
import cn.gov.honghu.hub.config.OwnerOnlyFiles;
import cn.gov.honghu.hub.legal.CitationCheck;
import cn.gov.honghu.hub.legal.LawRegistry;
import cn.gov.honghu.hub.parties.PartyHistory;
import cn.gov.honghu.hub.parties.PartyKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wires the case assessment: the rules file's thresholds with the ban calendar of the configured
 * water areas, the citation check and the party history under the party hash key.
 */
@Configuration(proxyBeanMethods = false)
class ThresholdsConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ThresholdsConfiguration.class);
  static final String PARTY_KEY_FILE = "party-hash.key";

  @Bean
  CaseAssessor caseAssessor(
      ThresholdRules thresholds,
      LawRegistry laws,
      HubProperties hub,
      JdbcTemplate jdbc,
      Clock clock,
      Environment environment)
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
        thresholds,
        calendar,
        new CitationCheck(laws),
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
      OwnerOnlyFiles.write(file, Base64.getEncoder().encodeToString(key));
      log.warn(
          "hub.party-hash-key is not set: generated one in {}; set the same key on every instance"
              + " of a deployment",
          file);
    }
    OwnerOnlyFiles.restrict(file); // written by a version that did not narrow it
    return Base64.getDecoder().decode(Files.readString(file).strip());
  }
}
