package io.tally.analytics.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds production code to the rings of {@link TallyArchitectureRules}; a violation fails the build.
 *
 * <p>The app module depends on every module, so importing {@code io.tally.analytics} from its classpath sees
 * core, ports (main classes only) and all adapters. Test classes are left out: the ports test-jar and this
 * module's rule fixture are not production code.
 */
class ArchitectureTest {

  private static final String ROOT = "io.tally.analytics";

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ArchitectureTest::isNotATestJar)
        .importPackages(ROOT);
  }

  // Maven's test-jars (analytics-ports-*-tests.jar) hold contract suites and in-memory fakes, not production code.
  private static boolean isNotATestJar(Location location) {
    return !location.contains("-tests.jar");
  }

  @Test
  void importSeesEveryRingButNoTestCode() {
    assertThat(production.containPackage(ROOT + ".core")).as("core imported").isTrue();
    assertThat(production.containPackage(ROOT + ".ports.out")).as("ports main classes imported").isTrue();
    assertThat(production.containPackage(ROOT + ".adapter.postgres")).as("adapters imported").isTrue();
    assertThat(production.containPackage(ROOT + ".archfixture")).as("rule fixture left out").isFalse();
    assertThat(production.containPackage(ROOT + ".architecture")).as("this test left out").isFalse();
  }

  @Test
  void coreAndPortsDependOnNoAdapterOrApp() {
    TallyArchitectureRules.coreAndPortsDependOnNoAdapterOrApp(ROOT).check(production);
  }

  @Test
  void coreAndPortsUseNoInfrastructureLibrary() {
    TallyArchitectureRules.coreAndPortsUseNoInfrastructureLibrary(ROOT).check(production);
  }

  @Test
  void coreAndPortsCreateNoThreads() {
    TallyArchitectureRules.coreAndPortsCreateNoThreads(ROOT).check(production);
  }

  @Test
  void coreAndPortsNeverReadTheWallClock() {
    TallyArchitectureRules.coreAndPortsNeverReadTheWallClock(ROOT).check(production);
  }

  @Test
  void coreDependsOnNoPort() {
    TallyArchitectureRules.coreDependsOnNoPort(ROOT).check(production);
  }

  @Test
  void adaptersDoNotDependOnEachOther() {
    TallyArchitectureRules.adaptersDoNotDependOnEachOther(ROOT).check(production);
  }

  @Test
  void onlyAppUsesAdapters() {
    TallyArchitectureRules.onlyAppUsesAdapters(ROOT).check(production);
  }

  @Test
  void adaptersNeverUseUseCaseImplementations() {
    TallyArchitectureRules.adaptersNeverUseUseCaseImplementations(ROOT).check(production);
  }

  @Test
  void inPortsCarryNoOutPortTypes() {
    TallyArchitectureRules.inPortsCarryNoOutPortTypes(ROOT).check(production);
  }

  @Test
  void ringsDependOnlyInwards() {
    TallyArchitectureRules.ringsDependOnlyInwards(ROOT).check(production);
  }
}
