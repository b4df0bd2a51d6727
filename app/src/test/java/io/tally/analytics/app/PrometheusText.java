package io.tally.analytics.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Prometheus text exposition (format 0.0.4) read into families and samples, for tests that compare
 * {@code /metrics} with the documented table and with an earlier scrape.
 */
final class PrometheusText {
  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private final Map<String, String> types = new TreeMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private PrometheusText() {}

  static PrometheusText parse(String text) {
    PrometheusText t = new PrometheusText();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).trim().split(" ");
        t.types.put(parts[0], parts[1]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        t.samples.add(sample(line));
      }
    }
    return t;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int close = line.lastIndexOf('}');
      String body = line.substring(brace + 1, close);
      int i = 0;
      while (i < body.length()) {
        int eq = body.indexOf('=', i);
        String key = body.substring(i, eq).trim();
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (body.charAt(j) != '"') {
          if (body.charAt(j) == '\\') {
            j++;
          }
          value.append(body.charAt(j++));
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (i < body.length() && body.charAt(i) == ',') {
          i++;
        }
      }
    } else {
      name = line.substring(0, space);
    }
    return new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim()));
  }

  /** @return family name to its TYPE (counter, gauge, histogram, summary) */
  Map<String, String> families() {
    return types;
  }

  /** @return the samples of a family: {@code name} itself, or its {@code _total}, {@code _count}, ... lines */
  List<Sample> samplesOf(String family) {
    return samples.stream().filter(s -> s.name().equals(family) || s.name().startsWith(family + "_")
        && Set.of("_bucket", "_count", "_sum", "_total", "_created").contains(s.name().substring(family.length())))
        .toList();
  }

  /** @return the label names a family's samples carry, without {@code le} and {@code quantile} */
  Set<String> labelNames(String family) {
    Set<String> names = new TreeSet<>();
    samplesOf(family).forEach(s -> names.addAll(s.labels().keySet()));
    names.remove("le");
    names.remove("quantile");
    return names;
  }

  /**
   * @return what says a family "moved": a counter's total, a histogram's or summary's observation count (summed
   *     over series), or, for a gauge, the values of every series keyed by their labels
   */
  Map<String, Double> movementKey(String family) {
    String type = types.getOrDefault(family, "gauge");
    Map<String, Double> key = new TreeMap<>();
    switch (type) {
      case "counter" -> key.put("total", sum(family + "_total", family));
      case "histogram", "summary" -> key.put("count", sum(family + "_count", null));
      default -> samplesOf(family).stream().filter(s -> s.name().equals(family))
          .forEach(s -> key.put(s.labels().toString(), s.value()));
    }
    return key;
  }

  private double sum(String name, String alternative) {
    return samples.stream().filter(s -> s.name().equals(name) || s.name().equals(alternative))
        .mapToDouble(Sample::value).sum();
  }
}
