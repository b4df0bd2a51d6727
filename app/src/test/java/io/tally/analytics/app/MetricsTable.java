package io.tally.analytics.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics tables of {@code docs/operations.md} (between {@code <!-- metrics-table -->} and
 * {@code <!-- /metrics-table -->}), read as data so the tests check exactly what the docs promise. Columns:
 * metric, type, labels, meaning, workload check ({@code moves}, {@code present} or {@code optional}), owner issue.
 * A row with an owner issue ({@code #9}) names a metric another branch adds: the tests skip it until the marker
 * is removed (and fail if it shows up on {@code /metrics} while still marked).
 */
final class MetricsTable {
  /** One documented metric. */
  record Row(String name, String type, Set<String> labels, String check, String owner) {
    boolean pending() {
      return !owner.isBlank();
    }

    boolean wildcard() {
      return name.endsWith("*");
    }

    boolean covers(String family) {
      return wildcard() ? family.startsWith(name.substring(0, name.length() - 1)) : family.equals(name);
    }
  }

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private MetricsTable() {}

  /** @return the operations document, found from the module or the repository root */
  static Path document() {
    for (Path p : List.of(Path.of("../docs/operations.md"), Path.of("docs/operations.md"))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("docs/operations.md not found from " + Path.of("").toAbsolutePath());
  }

  static List<Row> read() {
    try {
      return parse(Files.readString(document()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Row> parse(String markdown) {
    List<Row> rows = new ArrayList<>();
    boolean inside = false;
    for (String line : markdown.split("\n")) {
      if (line.contains("<!-- metrics-table -->")) {
        inside = true;
      } else if (line.contains("<!-- /metrics-table -->")) {
        inside = false;
      } else if (inside && line.startsWith("| `")) {
        String[] cells = Arrays.stream(line.split("\\|", -1)).map(String::trim).toArray(String[]::new);
        // cells[0] is empty (before the first |); metric, type, labels, meaning, check, owner follow.
        if (cells.length < 7) {
          throw new IllegalStateException("metrics table row needs 6 cells: " + line);
        }
        Set<String> labels = new TreeSet<>();
        Matcher m = CODE.matcher(cells[3]);
        while (m.find()) {
          labels.add(m.group(1));
        }
        rows.add(new Row(cells[1].replace("`", ""), cells[2], labels, cells[5], cells[6]));
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalStateException("no metrics table rows between <!-- metrics-table --> markers");
    }
    return rows;
  }
}
