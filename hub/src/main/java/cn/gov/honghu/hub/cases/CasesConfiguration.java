package cn.gov.honghu.hub.cases;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the case index and the transfer omissions. */
@Configuration(proxyBeanMethods = false)
class CasesConfiguration {

  @Bean
  CaseIndex caseIndex(JdbcTemplate jdbc) {
    return new CaseIndex(jdbc);
  }

  @Bean
  TransferOmissions transferOmissions(JdbcTemplate jdbc) {
    return new TransferOmissions(jdbc);
  }
}
