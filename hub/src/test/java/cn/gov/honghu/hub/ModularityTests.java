package cn.gov.honghu.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.connectors.webhook.WebhookSignature;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Repository;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keeps the feature packages of the message path and the connectors out of each other's internals:
 * the build fails when a change couples them. Every rule fails on empty input (ArchUnit's
 * failOnEmptyShould, never allowEmptyShould(true)), so a renamed package cannot make a rule pass by
 * matching nothing.
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

  // ---------------------------------------------------------------- the rules

  private static ArchRule featurePackagesFreeOfCycles() {
    return slices()
        .matching("cn.gov.honghu.hub.(*)..")
        .should()
        .beFreeOfCycles()
        .ignoreDependency(inConfig(), DescribedPredicate.alwaysTrue())
        .ignoreDependency(DescribedPredicate.alwaysTrue(), inConfig());
  }

  private static ArchRule noCallsIntoControllers() {
    return noClasses()
        .should()
        .dependOnClassesThat()
        .areAnnotatedWith(RestController.class)
        .because("controllers are the HTTP edge of their feature, not an API for other code");
  }

  private static ArchRule noStereotypesOutsideConfig() {
    return noClasses()
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
        .because("domain classes take collaborators in the constructor; config/ wires them");
  }

  private static ArchRule connectorsIndependentOfTheHub() {
    return noClasses()
        .that()
        .resideInAPackage("cn.gov.honghu.connectors..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("cn.gov.honghu.hub..")
        .because("a connector is a library the hub uses, usable without the hub");
  }

  private static ArchRule connectorsIndependentOfEachOther() {
    return slices()
        .matching("cn.gov.honghu.connectors.(*)..")
        .should()
        .notDependOnEachOther()
        .because("each connector module stands alone (webhook, jms)");
  }

  private static ArchRule connectorsUsedOnlyByDeliveryAndConfig() {
    return noClasses()
        .that()
        .resideInAPackage("cn.gov.honghu.hub..")
        .and()
        .resideOutsideOfPackages("cn.gov.honghu.hub.delivery..", "cn.gov.honghu.hub.config..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("cn.gov.honghu.connectors..")
        .because("the delivery flow is the only user of the connectors; config/ wires them");
  }

  private static ArchRule onlyFlowPackagesUseCamel() {
    return noClasses()
        .that()
        .resideOutsideOfPackages(
            "cn.gov.honghu.hub.ingest..",
            "cn.gov.honghu.hub.delivery..",
            "cn.gov.honghu.hub.config..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.camel..")
        .because("routes live in the flows (ingest, delivery); domain classes stay plain Java");
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("feature packages free of cycles", featurePackagesFreeOfCycles()),
        Arguments.of("no calls into controllers", noCallsIntoControllers()),
        Arguments.of("no stereotypes outside config", noStereotypesOutsideConfig()),
        Arguments.of("connectors independent of the hub", connectorsIndependentOfTheHub()),
        Arguments.of("connectors independent of each other", connectorsIndependentOfEachOther()),
        Arguments.of(
            "connectors used only by delivery and config", connectorsUsedOnlyByDeliveryAndConfig()),
        Arguments.of("only the flow packages use Camel", onlyFlowPackagesUseCamel()));
  }

  // ---------------------------------------------------------------- the tests

  @Test
  void shouldKeepFeaturePackagesFreeOfCyclesWhenWiringIsSetAside() {
    assertHolds(featurePackagesFreeOfCycles());
  }

  @Test
  void shouldNotLetAnyClassCallAnotherFeaturesController() {
    assertHolds(noCallsIntoControllers());
  }

  @Test
  void shouldKeepSpringStereotypesOutOfDomainClassesWhenWiringLivesInConfig() {
    assertHolds(noStereotypesOutsideConfig());
  }

  @Test
  void shouldKeepConnectorsIndependentOfTheHub() {
    assertHolds(connectorsIndependentOfTheHub());
  }

  @Test
  void shouldKeepConnectorsIndependentOfEachOther() {
    assertHolds(connectorsIndependentOfEachOther());
  }

  @Test
  void shouldLetOnlyDeliveryAndConfigUseTheConnectors() {
    assertHolds(connectorsUsedOnlyByDeliveryAndConfig());
  }

  @Test
  void shouldLetOnlyTheFlowPackagesUseCamel() {
    assertHolds(onlyFlowPackagesUseCamel());
  }

  @Test
  void shouldImportTheHubAndEveryConnectorWhenTheRulesAreChecked() {
    // the rules above are only as good as their input: both connector modules are on the classpath
    assertThat(hub.containPackage("cn.gov.honghu.hub.delivery")).isTrue();
    assertThat(hub.containPackage("cn.gov.honghu.connectors.webhook")).isTrue();
    assertThat(hub.containPackage("cn.gov.honghu.connectors.jms")).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void shouldFailWhenARuleFindsNoClassesToCheck(String name, ArchRule rule) {
    // given: no classes at all (a renamed package would look the same to the rule)
    JavaClasses nothing = new ClassFileImporter().importClasses(List.of());

    // when / then: failOnEmptyShould, never a silent pass
    assertThatThrownBy(() -> rule.evaluate(nothing))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("failed to check any classes");
  }

  @Test
  void shouldReportAHubClassOutsideDeliveryThatUsesAConnector() {
    // given: a class of package cn.gov.honghu.hub (neither delivery nor config) using a connector
    JavaClasses offending =
        new ClassFileImporter().importClasses(ConnectorUser.class, WebhookSignature.class);

    // when
    EvaluationResult result = connectorsUsedOnlyByDeliveryAndConfig().evaluate(offending);

    // then
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains(ConnectorUser.class.getName());
  }

  /** Breaks {@link #connectorsUsedOnlyByDeliveryAndConfig()}; imported only by the test above. */
  static final class ConnectorUser {
    Class<?> uses() {
      return WebhookSignature.class;
    }
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
