package cn.gov.honghu.hub;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import cn.gov.honghu.hub.ingest.HubErrorPolicy;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.properties.CanBeAnnotated;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Set;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
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

  /**
   * Wiring included: each feature's {@code *Configuration} sits beside it and must not couple
   * packages the feature's classes leave apart. Set aside are only the typed configuration
   * properties, which bind {@code hub.*} keys to a feature's value types (the deadline calendar's
   * mode) while every feature reads them.
   */
  @Test
  void shouldKeepFeaturePackagesFreeOfCyclesWiringIncluded() {
    assertHolds(
        slices()
            .matching("cn.gov.honghu.hub.(*)..")
            .should()
            .beFreeOfCycles()
            .ignoreDependency(
                CanBeAnnotated.Predicates.annotatedWith(ConfigurationProperties.class),
                DescribedPredicate.alwaysTrue()));
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
  void shouldKeepSpringStereotypesOutOfDomainClassesWhenEachFeatureWiresItself() {
    assertHolds(
        noClasses()
            .should()
            .beAnnotatedWith(Component.class)
            .orShould()
            .beAnnotatedWith(Service.class)
            .orShould()
            .beAnnotatedWith(Repository.class)
            .because(
                "domain classes take collaborators in the constructor; the feature's"
                    + " *Configuration wires them"));
  }

  @Test
  void shouldNameEveryWiringClassAfterItsConfiguration() {
    assertHolds(
        classes()
            .that()
            .areAnnotatedWith(Configuration.class)
            .should()
            .haveSimpleNameEndingWith("Configuration")
            .because("a feature's wiring is found beside it by name"));
  }

  @Test
  void shouldKeepTheWiringALeafThatNoDomainClassUses() {
    assertHolds(
        noClasses()
            .that()
            .areNotAnnotatedWith(Configuration.class)
            .and(not(nestedIn(CanBeAnnotated.Predicates.annotatedWith(Configuration.class))))
            .should()
            .dependOnClassesThat()
            .areAnnotatedWith(Configuration.class)
            .because("domain classes take collaborators in the constructor, not from the wiring"));
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
  void shouldLetOnlyTheFlowPackagesAndRouteBuildersUseCamel() {
    assertHolds(
        noClasses()
            .that()
            .resideOutsideOfPackages("cn.gov.honghu.hub.ingest..", "cn.gov.honghu.hub.delivery..")
            .and()
            .areNotAssignableTo(RoutesBuilder.class)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.apache.camel..")
            .because(
                "routes live in the flows (ingest, delivery) and in the *Routes beside a feature"
                    + " they schedule; domain classes stay plain Java"));
  }

  @Test
  void shouldLeaveErrorHandlingOfEveryRouteToTheOneErrorPolicy() {
    assertHolds(
        noClasses()
            .that()
            .doNotBelongToAnyOf(HubErrorPolicy.class)
            .should()
            .callMethodWhere(camelErrorHandling())
            .because("HubErrorPolicy is the hub's one error policy, for every route"));
  }

  /** Evaluates the rule on the hub's classes and fails with ArchUnit's report of violations. */
  private static void assertHolds(ArchRule rule) {
    EvaluationResult result = rule.evaluate(hub);
    assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
  }

  private static DescribedPredicate<JavaClass> nestedIn(
      DescribedPredicate<? super JavaClass> outer) {
    return DescribedPredicate.describe(
        "nested in a class " + outer.getDescription(),
        c -> c.getEnclosingClass().map(outer::test).orElse(false));
  }

  private static DescribedPredicate<JavaMethodCall> camelErrorHandling() {
    Set<String> names = Set.of("onException", "errorHandler");
    return DescribedPredicate.describe(
        "a Camel onException or errorHandler",
        call ->
            names.contains(call.getName())
                && (call.getTargetOwner().getPackageName().startsWith("org.apache.camel")
                    || call.getTargetOwner().isAssignableTo(RoutesBuilder.class)));
  }
}
