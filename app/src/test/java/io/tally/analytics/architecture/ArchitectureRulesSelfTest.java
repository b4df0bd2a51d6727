package io.tally.analytics.architecture;

import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.tally.analytics.archfixture.Planted;
import io.tally.analytics.archfixture.adapter.alpha.AlphaCache;
import io.tally.analytics.archfixture.adapter.alpha.AlphaClock;
import io.tally.analytics.archfixture.adapter.beta.BetaIngestHandler;
import io.tally.analytics.archfixture.adapter.beta.ServiceReachingHandler;
import io.tally.analytics.archfixture.app.FixtureWiring;
import io.tally.analytics.archfixture.core.CleanTariff;
import io.tally.analytics.archfixture.core.ClockReference;
import io.tally.analytics.archfixture.core.HttpCallingPricer;
import io.tally.analytics.archfixture.core.JdbcLeak;
import io.tally.analytics.archfixture.core.MillisStamper;
import io.tally.analytics.archfixture.core.PoolStarter;
import io.tally.analytics.archfixture.core.PortReachingRule;
import io.tally.analytics.archfixture.core.ThreadSpawner;
import io.tally.analytics.archfixture.core.WallClockReader;
import io.tally.analytics.archfixture.ports.AdapterAwarePort;
import io.tally.analytics.archfixture.ports.in.FixtureIngest;
import io.tally.analytics.archfixture.ports.in.LeakyCommand;
import io.tally.analytics.archfixture.ports.service.FixtureIngestService;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests the architecture rules themselves, as jMolecules does: each rule must fail on the fixture classes
 * marked {@link Planted}, naming the exact class, and pass once those classes are taken away. A rule that
 * silently matched nothing would pass {@link ArchitectureTest} forever; this test is what makes it able to fail.
 */
class ArchitectureRulesSelfTest {

  private static final String ROOT = "io.tally.analytics.archfixture";

  private static JavaClasses fixture;
  private static JavaClasses cleanFixture;

  @BeforeAll
  static void importFixture() {
    fixture = new ClassFileImporter().importPackages(ROOT);
    // A fresh import rather than fixture.that(..): a filtered view still reports dependencies *to* its
    // classes from the planted ones, which layered rules see.
    List<String> plantedFiles = fixture.that(annotatedWith(Planted.class)).stream()
        .map(javaClass -> "/" + javaClass.getName().replace('.', '/') + ".class")
        .toList();
    cleanFixture = new ClassFileImporter()
        .withImportOption(location -> plantedFiles.stream().noneMatch(location::contains))
        .importPackages(ROOT);
  }

  @Test
  void coreAndPortsDependOnNoAdapterOrApp() {
    assertRuleCatchesExactly(TallyArchitectureRules::coreAndPortsDependOnNoAdapterOrApp,
        List.of(AdapterAwarePort.class), List.of(FixtureWiring.class, AlphaCache.class));
  }

  @Test
  void coreAndPortsUseNoInfrastructureLibrary() {
    assertRuleCatchesExactly(TallyArchitectureRules::coreAndPortsUseNoInfrastructureLibrary,
        List.of(HttpCallingPricer.class, JdbcLeak.class), List.of(CleanTariff.class, WallClockReader.class));
  }

  @Test
  void coreAndPortsCreateNoThreads() {
    assertRuleCatchesExactly(TallyArchitectureRules::coreAndPortsCreateNoThreads,
        List.of(PoolStarter.class, ThreadSpawner.class), List.of(CleanTariff.class, HttpCallingPricer.class));
  }

  @Test
  void coreAndPortsNeverReadTheWallClock() {
    // AlphaClock reads Instant.now() too, legitimately: it is the adapter behind the clock port.
    assertRuleCatchesExactly(TallyArchitectureRules::coreAndPortsNeverReadTheWallClock,
        List.of(WallClockReader.class, MillisStamper.class, ClockReference.class),
        List.of(CleanTariff.class, AlphaClock.class));
  }

  @Test
  void coreDependsOnNoPort() {
    assertRuleCatchesExactly(TallyArchitectureRules::coreDependsOnNoPort,
        List.of(PortReachingRule.class), List.of(CleanTariff.class, AlphaClock.class));
  }

  @Test
  void adaptersDoNotDependOnEachOther() {
    assertRuleCatchesExactly(TallyArchitectureRules::adaptersDoNotDependOnEachOther,
        List.of(AlphaCache.class), List.of(AlphaClock.class, FixtureWiring.class));
  }

  @Test
  void onlyAppUsesAdapters() {
    assertRuleCatchesExactly(TallyArchitectureRules::onlyAppUsesAdapters,
        List.of(AdapterAwarePort.class), List.of(FixtureWiring.class));
  }

  @Test
  void adaptersNeverUseUseCaseImplementations() {
    assertRuleCatchesExactly(TallyArchitectureRules::adaptersNeverUseUseCaseImplementations,
        List.of(ServiceReachingHandler.class), List.of(BetaIngestHandler.class, FixtureWiring.class));
  }

  @Test
  void inPortsCarryNoOutPortTypes() {
    assertRuleCatchesExactly(TallyArchitectureRules::inPortsCarryNoOutPortTypes,
        List.of(LeakyCommand.class), List.of(FixtureIngest.class, FixtureIngestService.class));
  }

  @Test
  void ringsDependOnlyInwards() {
    assertRuleCatchesExactly(TallyArchitectureRules::ringsDependOnlyInwards,
        List.of(PortReachingRule.class, AdapterAwarePort.class), List.of(FixtureWiring.class, AlphaClock.class));
  }

  @Test
  void everyPlantedViolationIsCaughtByARule() {
    String allFailures = String.join("\n", TallyArchitectureRules.all(ROOT).stream()
        .map(rule -> rule.evaluate(fixture))
        .flatMap(result -> result.getFailureReport().getDetails().stream())
        .toList());

    List<String> planted = fixture.stream()
        .filter(javaClass -> javaClass.isAnnotatedWith(Planted.class))
        .map(JavaClass::getName)
        .toList();

    assertThat(planted).hasSize(12);
    assertThat(planted).allSatisfy(name -> assertThat(names(allFailures, name))
        .as("some rule reports planted class %s", name).isTrue());
  }

  private static void assertRuleCatchesExactly(
      Function<String, ArchRule> ruleFor, List<Class<?>> planted, List<Class<?>> clean) {
    ArchRule rule = ruleFor.apply(ROOT);

    EvaluationResult onFixture = rule.evaluate(fixture);
    String details = String.join("\n", onFixture.getFailureReport().getDetails());
    assertThat(onFixture.hasViolation()).as("rule fails on the fixture: %s", rule.getDescription()).isTrue();
    assertThat(planted).allSatisfy(type ->
        assertThat(names(details, type.getName())).as("report names %s:%n%s", type.getName(), details).isTrue());
    assertThat(clean).allSatisfy(type ->
        assertThat(names(details, type.getName())).as("report spares %s:%n%s", type.getName(), details).isFalse());

    EvaluationResult onCleanFixture = rule.evaluate(cleanFixture);
    assertThat(onCleanFixture.hasViolation())
        .as("rule passes without the planted classes:%n%s", onCleanFixture.getFailureReport())
        .isFalse();
  }

  // A whole class name, so that core.Pool would not be found inside core.PoolStarter.
  private static boolean names(String report, String className) {
    return Pattern.compile(Pattern.quote(className) + "(?![\\w$])").matcher(report).find();
  }
}
