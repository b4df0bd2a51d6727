package io.tally.analytics.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What analytics-ports brings to a service that embeds it: analytics-core, Guava (with the small artifacts Guava
 * itself declares) and sketches-java, nothing else. Reads the list Maven resolved for this module at
 * {@code process-test-resources} ({@code dependency:list}, compile and runtime scopes, transitive). analytics-core
 * checks its own list the same way (a dependency ports declares for its tests would hide core's from this list).
 */
class DependencyScopeTest {
  @Test
  void portsPullInOnlyCoreGuavaAndTheSketchLibrary() throws IOException {
    Path list = Path.of("target/runtime-dependencies.txt");
    assertThat(list).as("written by maven-dependency-plugin:list (analytics-ports/pom.xml)").exists();
    // "   group:artifact:jar:version:scope -- module name"
    List<String[]> artifacts = Files.readAllLines(list).stream().filter(l -> l.startsWith("   "))
        .map(l -> l.strip().split("\\s")[0].split(":")).toList();
    assertThat(artifacts).extracting(a -> a[a.length - 1]).as("scopes").isSubsetOf("compile", "runtime");
    assertThat(artifacts).extracting(a -> a[0] + ":" + a[1]).as("runtime dependencies of analytics-ports")
        .contains("io.tally:analytics-core", "com.google.guava:guava", "com.datadoghq:sketches-java")
        .isSubsetOf("io.tally:analytics-core", "com.datadoghq:sketches-java", "com.google.guava:guava",
            "com.google.guava:failureaccess", "com.google.guava:listenablefuture", "org.jspecify:jspecify",
            "com.google.errorprone:error_prone_annotations", "com.google.j2objc:j2objc-annotations");
  }
}
