package cn.gov.honghu.hub;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.gov.honghu.connectors.webhook.WebhookSignature;
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
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
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

  /**
   * Wiring included: each feature's {@code *Configuration} sits beside it and must not couple
   * packages the feature's classes leave apart. Set aside are only the typed configuration
   * properties, which bind {@code hub.*} keys to a feature's value types (the deadline calendar's
   * mode) while every feature reads them.
   */
  private static ArchRule featurePackagesFreeOfCycles() {
    return slices()
        .matching("cn.gov.honghu.hub.(*)..")
        .should()
        .beFreeOfCycles()
        .ignoreDependency(
            CanBeAnnotated.Predicates.annotatedWith(ConfigurationProperties.class),
            DescribedPredicate.alwaysTrue());
  }

  private static ArchRule noCallsIntoControllers() {
    return noClasses()
        .should()
        .dependOnClassesThat()
        .areAnnotatedWith(RestController.class)
        .because("controllers are the HTTP edge of their feature, not an API for other code");
  }

  private static ArchRule noStereotypes() {
    return noClasses()
        .should()
        .beAnnotatedWith(Component.class)
        .orShould()
        .beAnnotatedWith(Service.class)
        .orShould()
        .beAnnotatedWith(Repository.class)
        .because(
            "domain classes take collaborators in the constructor; the feature's"
                + " *Configuration wires them");
  }

  private static ArchRule wiringNamedConfiguration() {
    return classes()
        .that()
        .areAnnotatedWith(Configuration.class)
        .should()
        .haveSimpleNameEndingWith("Configuration")
        .because("a feature's wiring is found beside it by name");
  }

  private static ArchRule wiringIsALeaf() {
    return noClasses()
        .that()
        .areNotAnnotatedWith(Configuration.class)
        .and(not(nestedIn(CanBeAnnotated.Predicates.annotatedWith(Configuration.class))))
        .should()
        .dependOnClassesThat()
        .areAnnotatedWith(Configuration.class)
        .because("domain classes take collaborators in the constructor, not from the wiring");
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

  private static ArchRule connectorsUsedOnlyByDelivery() {
    return noClasses()
        .that()
        .resideInAPackage("cn.gov.honghu.hub..")
        .and()
        .resideOutsideOfPackage("cn.gov.honghu.hub.delivery..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("cn.gov.honghu.connectors..")
        .because("the delivery flow is the only user of the connectors, and wires them");
  }

  private static ArchRule onlyFlowsAndRouteBuildersUseCamel() {
    return noClasses()
        .that()
        .resideOutsideOfPackages("cn.gov.honghu.hub.ingest..", "cn.gov.honghu.hub.delivery..")
        .and()
        .areNotAssignableTo(RoutesBuilder.class)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.camel..")
        .because(
            "routes live in the flows (ingest, delivery) and in the *Routes beside a feature"
                + " they schedule; domain classes stay plain Java");
  }

  private static ArchRule oneErrorPolicy() {
    return noClasses()
        .that()
        .doNotBelongToAnyOf(HubErrorPolicy.class)
        .should()
        .callMethodWhere(camelErrorHandling())
        .because("HubErrorPolicy is the hub's one error policy, for every route");
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("feature packages free of cycles", featurePackagesFreeOfCycles()),
        Arguments.of("no calls into controllers", noCallsIntoControllers()),
        Arguments.of("no stereotypes", noStereotypes()),
        Arguments.of("wiring named *Configuration", wiringNamedConfiguration()),
        Arguments.of("wiring is a leaf", wiringIsALeaf()),
        Arguments.of("connectors independent of the hub", connectorsIndependentOfTheHub()),
        Arguments.of("connectors independent of each other", connectorsIndependentOfEachOther()),
        Arguments.of("connectors used only by delivery", connectorsUsedOnlyByDelivery()),
        Arguments.of(
            "only flows and route builders use Camel", onlyFlowsAndRouteBuildersUseCamel()),
        Arguments.of("one error policy", oneErrorPolicy()));
  }

  // ---------------------------------------------------------------- the tests

  @Test
  void shouldKeepFeaturePackagesFreeOfCyclesWiringIncluded() {
    assertHolds(featurePackagesFreeOfCycles());
  }

  @Test
  void shouldNotLetAnyClassCallAnotherFeaturesController() {
    assertHolds(noCallsIntoControllers());
  }

  @Test
  void shouldKeepSpringStereotypesOutOfDomainClassesWhenEachFeatureWiresItself() {
    assertHolds(noStereotypes());
  }

  @Test
  void shouldNameEveryWiringClassAfterItsConfiguration() {
    assertHolds(wiringNamedConfiguration());
  }

  @Test
  void shouldKeepTheWiringALeafThatNoDomainClassUses() {
    assertHolds(wiringIsALeaf());
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
  void shouldLetOnlyDeliveryUseTheConnectors() {
    assertHolds(connectorsUsedOnlyByDelivery());
  }

  @Test
  void shouldLetOnlyTheFlowPackagesAndRouteBuildersUseCamel() {
    assertHolds(onlyFlowsAndRouteBuildersUseCamel());
  }

  @Test
  void shouldLeaveErrorHandlingOfEveryRouteToTheOneErrorPolicy() {
    assertHolds(oneErrorPolicy());
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
    // given: a class of package cn.gov.honghu.hub (not delivery) using a connector
    JavaClasses offending =
        new ClassFileImporter().importClasses(ConnectorUser.class, WebhookSignature.class);

    // when
    EvaluationResult result = connectorsUsedOnlyByDelivery().evaluate(offending);

    // then
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains(ConnectorUser.class.getName());
  }

  /** Breaks {@link #connectorsUsedOnlyByDelivery()}; imported only by the test above. */
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
