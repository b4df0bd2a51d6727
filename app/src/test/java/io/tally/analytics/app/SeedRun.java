package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code tally seed} run in-process and the numbers its last line reports
 * ({@code SEED published=… unique_valid=… duplicates=… invalid=…}).
 */
record SeedRun(long published, long uniqueValid, long duplicates, long invalid, String line) {
  private static final Pattern SEED = Pattern.compile(
      "SEED published=(\\d+) unique_valid=(\\d+) duplicates=(\\d+) invalid=(\\d+)");

  /** Runs {@code tally <args>} with this environment; fails the test unless it exits 0 with a SEED line. */
  static SeedRun run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TallyCli.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    assertThat(exit).as(err.toString()).isZero();
    String[] lines = out.toString().strip().split("\n");
    Matcher m = SEED.matcher(lines[lines.length - 1]);
    assertThat(m.matches()).as(out.toString()).isTrue();
    return new SeedRun(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
        Long.parseLong(m.group(4)), m.group());
  }

  /**
   * Publishes {@code events} synthetic events to {@code stream} under {@code producer} with the seed command's
   * default mix (1% re-sent duplicates, 0.5% invalid); different {@code seed}s give disjoint event ids.
   */
  static SeedRun toStream(String stream, String producer, long events, long seed) {
    return run(Map.of("RABBITMQ_URL", StreamIngestionIT.URL, "RABBITMQ_STREAM", stream), "seed", "--to-stream",
        "--events", Long.toString(events), "--duplicate-rate", "0.01", "--invalid-rate", "0.005",
        "--seed", Long.toString(seed), "--producer-name", producer);
  }

  /** @return the totals of two runs with disjoint event ids */
  SeedRun plus(SeedRun other) {
    return new SeedRun(published + other.published, uniqueValid + other.uniqueValid,
        duplicates + other.duplicates, invalid + other.invalid, line + " + " + other.line);
  }
}
