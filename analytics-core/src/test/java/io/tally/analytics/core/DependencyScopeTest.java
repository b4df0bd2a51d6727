package io.tally.analytics.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What analytics-core brings to a service that embeds it: Guava (with the small artifacts Guava itself declares)
 * and sketches-java, nothing else. Reads the list Maven resolved for this module at {@code process-test-resources}
 * ({@code dependency:list}, compile and runtime scopes, transitive): adding a dependency fails here. analytics-ports
 * has its own check, since a dependency that ports declares for its tests hides the same one of core from ports'
 * list.
 */
class DependencyScopeTest {
  /** Guava, its own dependencies as its POM declares them, and the sketch library. */
  static final Set<String> ALLOWED = Set.of(
      "com.google.guava:guava",
      "com.google.guava:failureaccess",
      "com.google.guava:listenablefuture",
      "org.jspecify:jspecify",
      "com.google.errorprone:error_prone_annotations",
      "com.google.j2objc:j2objc-annotations",
      "com.datadoghq:sketches-java");

  private static final Pattern RESOLVED = Pattern.compile("^\\s+([^:\\s]+):([^:\\s]+):[^:]+:[^:]+:(\\w+)");

  /** groupId:artifactId of each artifact of a {@code dependency:list} file; fails on a test or provided scope. */
  private static Set<String> resolved(Path list) throws IOException {
    assertThat(list).as("written by maven-dependency-plugin:list (see the module's pom.xml)").exists();
    Set<String> resolved = new TreeSet<>();
    for (String line : Files.readAllLines(list)) {
      Matcher m = RESOLVED.matcher(line);
      if (m.find()) {
        assertThat(m.group(3)).as("scope of %s:%s", m.group(1), m.group(2)).isIn("compile", "runtime");
        resolved.add(m.group(1) + ":" + m.group(2));
      }
    }
    return resolved;
  }

  @Test
  void corePullsInOnlyGuavaAndTheSketchLibrary() throws IOException {
    Set<String> resolved = resolved(Path.of("target/runtime-dependencies.txt"));
    assertThat(resolved).as("the list was parsed").contains("com.google.guava:guava", "com.datadoghq:sketches-java");
    assertThat(resolved).as("runtime dependencies of analytics-core").isSubsetOf(ALLOWED);
  }
}
