package cn.gov.honghu.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keeps the feature packages of the message path and the connectors out of each other's internals:
 * the build fails when a change couples them.
 */
class ModularityTests {

  private static JavaClasses hub;

  @BeforeAll
  static void importClasses() {
    hub =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("cn.gov.honghu");
  }

  @Test
  void shouldKeepFeaturePackagesFreeOfCyclesWhenWiringIsSetAside() {
    assertHolds(
        slices()
            .matching("cn.gov.honghu.hub.(*)..")
            .should()
            .beFreeOfCycles()
            .ignoreDependency(inConfig(), DescribedPredicate.alwaysTrue())
            .ignoreDependency(DescribedPredicate.alwaysTrue(), inConfig()));
  }

  @Test
  void shouldNotLetAnyClassCallAnotherFeaturesController() {
    assertHolds(
        noClasses()
            .should()
            .dependOnClassesThat()
            .areAnnotatedWith(RestController.class)
            .because("controllers are the HTTP edge of their feature, not an API for other code"));
  }

  @Test
  void shouldKeepSpringStereotypesOutOfDomainClassesWhenWiringLivesInConfig() {
    assertHolds(
        noClasses()
            .that()
            .resideOutsideOfPackage("..config..")
            .should()
            .beAnnotatedWith(Component.class)
            .orShould()
            .beAnnotatedWith(Service.class)
            .orShould()
            .beAnnotatedWith(Repository.class)
            .orShould()
            .beAnnotatedWith(Configuration.class)
            .because("domain classes take collaborators in the constructor; config/ wires them"));
  }

  @Test
  void shouldKeepConnectorsIndependentOfHubInternals() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("cn.gov.honghu.connectors..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("cn.gov.honghu.hub..")
            .allowEmptyShould(true));
  }

  @Test
  void shouldKeepTheHubOffConnectorInternals() {
    assertHolds(
        noClasses()
            .that()
            .resideInAPackage("cn.gov.honghu.hub..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("cn.gov.honghu.connectors..internal..")
            .allowEmptyShould(true));
  }

  @Test
  void shouldLetOnlyTheFlowPackagesUseCamel() {
    assertHolds(
        noClasses()
            .that()
            .resideOutsideOfPackages(
                "cn.gov.honghu.hub.ingest..",
                "cn.gov.honghu.hub.delivery..",
                "cn.gov.honghu.hub.config..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.apache.camel..")
            .because(
                "routes live in the flows (ingest, delivery); domain classes stay plain Java"));
  }

  /** Evaluates the rule on the hub's classes and fails with ArchUnit's report of violations. */
  private static void assertHolds(ArchRule rule) {
    EvaluationResult result = rule.evaluate(hub);
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }

  private static DescribedPredicate<JavaClass> inConfig() {
    return JavaClass.Predicates.resideInAPackage("cn.gov.honghu.hub.config..");
  }
}
