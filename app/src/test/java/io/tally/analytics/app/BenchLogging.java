package io.tally.analytics.app;

/** Logging for the benchmark mains: the app's JSON logs on stderr, WARN unless LOG_LEVEL says otherwise. */
final class BenchLogging {
  private BenchLogging() {}

  /** Call before the first logger is created. */
  static void toStderr() {
    // The app's own configuration, also where a dependency's logback-test.xml is on the test classpath
    // (adapter-postgres' test classes are when scripts/bench builds only up to test-compile).
    System.setProperty("logback.configurationFile", "logback.xml");
    // The access log and per-batch info lines would bury the figures.
    System.setProperty("LOG_LEVEL", System.getenv().getOrDefault("LOG_LEVEL", "WARN"));
    System.setProperty("tally.log.target", "System.err");
  }
}
