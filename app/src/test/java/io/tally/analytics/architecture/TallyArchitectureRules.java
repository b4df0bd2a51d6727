package io.tally.analytics.architecture;

import static com.tngtech.archunit.core.domain.JavaConstructor.CONSTRUCTOR_NAME;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;

/**
 * The dependency rules of Tally's hexagon, written once and parametrised by the root package so that the
 * same rules run against production code ({@link ArchitectureTest}) and against a fixture that breaks them on
 * purpose ({@link ArchitectureRulesSelfTest}).
 *
 * <p>Rings, innermost first: {@code core} (pure domain) → {@code ports} ({@code in}, {@code out},
 * {@code service}) → {@code adapter.<name>} → {@code app}. A ring may only depend inwards, and inside the ports
 * ring adapters see {@code in} and {@code out} only, and {@code in} does not see {@code out}.
 */
final class TallyArchitectureRules {

  /**
   * Libraries that do I/O, logging, JSON or telemetry: they belong behind a port, in an adapter (tracing decorates
   * the use cases from {@code app}; core and ports never see OpenTelemetry or Micrometer).
   */
  static final List<String> INFRASTRUCTURE_PACKAGES = List.of(
      "io.javalin..",
      "com.fasterxml.jackson..",
      "org.jdbi..",
      "java.sql..",
      "javax.sql..",
      "java.net..",
      "java.nio.file..",
      "org.slf4j..",
      "ch.qos.logback..",
      "io.lettuce..",
      "com.rabbitmq..",
      "software.amazon..",
      "com.google.cloud..",
      "com.azure..",
      "io.opentelemetry..",
      "io.micrometer..");

  private static final Set<String> CLOCK_READING_TYPES = Set.of(
      "java.time.Instant",
      "java.time.LocalDateTime",
      "java.time.LocalDate",
      "java.time.LocalTime",
      "java.time.ZonedDateTime",
      "java.time.OffsetDateTime",
      "java.time.OffsetTime",
      "java.time.Year",
      "java.time.YearMonth",
      "java.time.MonthDay");

  // Guava is core's one allowed library, so its executor factories are closed off as well.
  private static final String THREAD_POOL_TYPES = "java\\.util\\.concurrent\\."
      + "(Executor.*|ScheduledExecutorService|.*ThreadPoolExecutor|ForkJoinPool|ThreadFactory)"
      + "|java\\.util\\.Timer"
      + "|com\\.google\\.common\\.util\\.concurrent\\.(MoreExecutors|ThreadFactoryBuilder|Listening.*ExecutorService)";

  private TallyArchitectureRules() {}

  /** Rule (a), first half: the inner rings never reach outwards to an adapter or to the app. */
  static ArchRule coreAndPortsDependOnNoAdapterOrApp(String root) {
    return noClasses().that().resideInAnyPackage(core(root), ports(root))
        .should().dependOnClassesThat().resideInAnyPackage(adapters(root), app(root))
        .because("core and ports are embedded by other services that bring their own adapters");
  }

  /** Rule (a), second half: no web, JSON, JDBC, network, file, logging, broker or cloud library. */
  static ArchRule coreAndPortsUseNoInfrastructureLibrary(String root) {
    return noClasses().that().resideInAnyPackage(core(root), ports(root))
        .should().dependOnClassesThat().resideInAnyPackage(INFRASTRUCTURE_PACKAGES.toArray(String[]::new))
        .because("I/O and frameworks live behind driven ports, implemented in adapters");
  }

  /** Rule (b): concurrency is the host's choice, so the inner rings start no threads or pools. */
  static ArchRule coreAndPortsCreateNoThreads(String root) {
    return noClasses().that().resideInAnyPackage(core(root), ports(root))
        .should().dependOnClassesThat().haveNameMatching(THREAD_POOL_TYPES)
        .orShould().accessTargetWhere(threadConstruction())
        .orShould().accessTargetWhere(asyncCompletableFuture())
        .because("the embedding service owns its threads; core and ports run on the caller's thread");
  }

  /** Rule (c): time comes from the TimeSource port or a parameter, so tests and replays control it. */
  static ArchRule coreAndPortsNeverReadTheWallClock(String root) {
    return noClasses().that().resideInAnyPackage(core(root), ports(root))
        .should().accessTargetWhere(wallClockRead())
        .because("time comes from the TimeSource port or a parameter, never from the system clock");
  }

  /** Rule (d): core is the innermost ring and knows nothing of the ports built on it. */
  static ArchRule coreDependsOnNoPort(String root) {
    return noClasses().that().resideInAPackage(core(root))
        .should().dependOnClassesThat().resideInAPackage(ports(root))
        .because("core is the innermost ring");
  }

  /** Rule (e): each adapter is an independent slice; a Postgres store never calls the Redis cache itself. */
  static ArchRule adaptersDoNotDependOnEachOther(String root) {
    return slices().matching(root + ".adapter.(*)..")
        .namingSlices("adapter $1")
        .should().notDependOnEachOther()
        .because("only app composes adapters; each adapter depends on ports and core alone");
  }

  /** Rule (f): with rule (e), only app may know an adapter, so only app can combine several. */
  static ArchRule onlyAppUsesAdapters(String root) {
    return noClasses().that().resideOutsideOfPackages(app(root), adapters(root))
        .should().dependOnClassesThat().resideInAPackage(adapters(root))
        .because("adapters are plugged in by app's hand wiring and by nothing else");
  }

  /**
   * Rule (g): inside the ports ring, adapters drive use cases through their {@code ports.in} interfaces and
   * implement {@code ports.out}; the implementations in {@code ports.service} are app's to construct.
   */
  static ArchRule adaptersNeverUseUseCaseImplementations(String root) {
    return noClasses().that().resideInAPackage(adapters(root))
        .should().dependOnClassesThat().resideInAPackage(root + ".ports.service..")
        .because("an adapter that reaches a service (or its constants) couples to one implementation of a use case");
  }

  /**
   * Rule (h): a use case's commands and answers speak the domain's language: nothing in {@code ports.in}
   * carries a {@code ports.out} type, so a driving adapter never sees the driven side.
   */
  static ArchRule inPortsCarryNoOutPortTypes(String root) {
    return noClasses().that().resideInAPackage(root + ".ports.in..")
        .should().dependOnClassesThat().resideInAPackage(root + ".ports.out..")
        .because("types both sides share live in core (for example core.usage.DeadLetter, IngestSource)");
  }

  /** The rings as one picture: each ring may be used only by the rings outside it. */
  static ArchRule ringsDependOnlyInwards(String root) {
    return layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage(root + "..")
        .layer("core").definedBy(core(root))
        .layer("ports").definedBy(ports(root))
        .layer("adapters").definedBy(adapters(root))
        // app has no production classes until the wiring is written; an empty ring is not a violation.
        .optionalLayer("app").definedBy(app(root))
        .whereLayer("app").mayNotBeAccessedByAnyLayer()
        .whereLayer("adapters").mayOnlyBeAccessedByLayers("app")
        .whereLayer("ports").mayOnlyBeAccessedByLayers("adapters", "app");
  }

  /** Every rule above, for callers that want to check them all at once. */
  static List<ArchRule> all(String root) {
    return List.of(
        coreAndPortsDependOnNoAdapterOrApp(root),
        coreAndPortsUseNoInfrastructureLibrary(root),
        coreAndPortsCreateNoThreads(root),
        coreAndPortsNeverReadTheWallClock(root),
        coreDependsOnNoPort(root),
        adaptersDoNotDependOnEachOther(root),
        onlyAppUsesAdapters(root),
        adaptersNeverUseUseCaseImplementations(root),
        inPortsCarryNoOutPortTypes(root),
        ringsDependOnlyInwards(root));
  }

  private static String core(String root) {
    return root + ".core..";
  }

  private static String ports(String root) {
    return root + ".ports..";
  }

  private static String adapters(String root) {
    return root + ".adapter..";
  }

  private static String app(String root) {
    return root + ".app..";
  }

  // accessTargetWhere sees calls and method references alike, so Instant::now is caught as well as Instant.now().
  private static DescribedPredicate<JavaAccess<?>> wallClockRead() {
    return DescribedPredicate.describe(
        "reads the wall clock (now(), currentTimeMillis(), nanoTime(), Clock.system*(), new Date())",
        access -> {
          AccessTarget target = access.getTarget();
          String owner = target.getOwner().getName();
          String name = target.getName();
          return (CLOCK_READING_TYPES.contains(owner) && name.equals("now"))
              || (owner.equals("java.lang.System") && (name.equals("currentTimeMillis") || name.equals("nanoTime")))
              || (owner.equals("java.time.Clock") && name.startsWith("system"))
              || (owner.equals("java.util.Calendar") && name.equals("getInstance"))
              || (owner.equals("java.util.Date") && isNoArgConstructor(target));
        });
  }

  private static DescribedPredicate<JavaAccess<?>> threadConstruction() {
    return DescribedPredicate.describe("constructs a java.lang.Thread", access -> {
      AccessTarget target = access.getTarget();
      return target.getName().equals(CONSTRUCTOR_NAME) && isThread(target.getOwner());
    });
  }

  private static DescribedPredicate<JavaAccess<?>> asyncCompletableFuture() {
    return DescribedPredicate.describe("starts a CompletableFuture *Async stage", access -> {
      AccessTarget target = access.getTarget();
      return target.getOwner().getName().equals("java.util.concurrent.CompletableFuture")
          && target.getName().endsWith("Async");
    });
  }

  private static boolean isThread(JavaClass owner) {
    return owner.isAssignableTo(Thread.class);
  }

  private static boolean isNoArgConstructor(AccessTarget target) {
    return target.getName().equals(CONSTRUCTOR_NAME)
        && target instanceof CodeUnitAccessTarget codeUnit
        && codeUnit.getRawParameterTypes().isEmpty();
  }
}
