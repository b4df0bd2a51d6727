package io.tally.analytics.ports.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps a guide's code equal to a test's code: the test marks a region of its own source with
 * {@code // --- begin NAME ---} and {@code // --- end NAME ---}, and the guide must hold that region, without its
 * indentation, as a {@code ```java} block. Paths are relative to the module (Maven runs tests there).
 */
public final class DocSnippets {
  private DocSnippets() {}

  /**
   * @param testClass the test whose source holds the region (under {@code src/test/java})
   * @param name the region's name
   * @return the region's lines, its common indentation removed, each ending with a newline
   */
  public static String region(Class<?> testClass, String name) {
    Path source = Path.of("src/test/java", testClass.getName().replace('.', '/') + ".java");
    List<String> lines = read(source).lines().toList();
    int begin = indexOf(lines, "// --- begin " + name + " ---", source);
    int end = indexOf(lines, "// --- end " + name + " ---", source);
    List<String> body = lines.subList(begin + 1, end);
    int indent = body.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder out = new StringBuilder();
    body.forEach(l -> out.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
    return out.toString();
  }

  /**
   * Fails unless the guide holds the region verbatim as one {@code ```java} block.
   *
   * @param guide the Markdown file, from the repository root (e.g. {@code docs/embedding.md})
   * @param testClass the test whose source holds the region
   * @param name the region's name
   */
  public static void assertGuideShows(String guide, Class<?> testClass, String name) {
    String doc = read(Path.of("..").resolve(guide));
    assertThat(doc).as("%s shows region %s of %s verbatim", guide, name, testClass.getSimpleName())
        .contains("```java\n" + region(testClass, name) + "```\n");
  }

  private static int indexOf(List<String> lines, String marker, Path source) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError(source + " has no line " + marker);
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
