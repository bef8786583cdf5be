package cn.gov.honghu.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
    slices()
        .matching("cn.gov.honghu.hub.(*)..")
        .should()
        .beFreeOfCycles()
        .ignoreDependency(inConfig(), DescribedPredicate.alwaysTrue())
        .ignoreDependency(DescribedPredicate.alwaysTrue(), inConfig())
        .check(hub);
  }

  @Test
  void shouldNotLetAnyClassCallAnotherFeaturesController() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .areAnnotatedWith(RestController.class)
        .because("controllers are the HTTP edge of their feature, not an API for other code")
        .check(hub);
  }

  @Test
  void shouldKeepSpringStereotypesOutOfDomainClassesWhenWiringLivesInConfig() {
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
        .because("domain classes take collaborators in the constructor; config/ wires them")
        .check(hub);
  }

  @Test
  void shouldKeepConnectorsIndependentOfHubInternals() {
    noClasses()
        .that()
        .resideInAPackage("cn.gov.honghu.connectors..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("cn.gov.honghu.hub..")
        .allowEmptyShould(true)
        .check(hub);
  }

  @Test
  void shouldKeepTheHubOffConnectorInternals() {
    noClasses()
        .that()
        .resideInAPackage("cn.gov.honghu.hub..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("cn.gov.honghu.connectors..internal..")
        .allowEmptyShould(true)
        .check(hub);
  }

  @Test
  void shouldLetOnlyTheFlowPackagesUseCamel() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "cn.gov.honghu.hub.ingest..",
            "cn.gov.honghu.hub.delivery..",
            "cn.gov.honghu.hub.config..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.camel..")
        .because("routes live in the flows (ingest, delivery); domain classes stay plain Java")
        .check(hub);
  }

  private static DescribedPredicate<JavaClass> inConfig() {
    return JavaClass.Predicates.resideInAPackage("cn.gov.honghu.hub.config..");
  }
}
