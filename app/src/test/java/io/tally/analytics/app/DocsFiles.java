package io.tally.analytics.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's {@code docs/} directory as the tests see it, and the metric names a PromQL text uses. */
final class DocsFiles {
  private static final Pattern METRIC = Pattern.compile(
      "\\b((?:analytics|http|routing|jvm|process|system|hikaricp)_[a-z0-9_]+)\\b");
  private static final List<String> SERIES_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

  private DocsFiles() {}

  /** @return {@code docs/} from the module directory or the repository root */
  static Path docs() {
    return MetricsTable.document().getParent();
  }

  static String read(String relative) {
    try {
      return Files.readString(docs().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the metric families a PromQL expression reads ({@code _bucket}, {@code _count}, ... removed) */
  static Set<String> metricsIn(String promql, List<MetricsTable.Row> table) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(promql);
    while (m.find()) {
      String found = m.group(1);
      String name = found;
      if (table.stream().noneMatch(r -> r.covers(found))) {
        for (String suffix : SERIES_SUFFIXES) {
          if (name.endsWith(suffix)) {
            name = name.substring(0, name.length() - suffix.length());
            break;
          }
        }
      }
      names.add(name);
    }
    return names;
  }
}
