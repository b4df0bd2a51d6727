package io.tally.analytics.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

/** The end state stream ingestion must reach after any fault: every figure exact, rollups without drift. */
final class IngestChecks {
  private IngestChecks() {}

  /**
   * Rows = the seeded unique valid events, dead letters = the invalid ones, the stored offset = the stream's last
   * offset, and {@code tally verify} finds no drift in any hourly or daily bucket. All are checked and reported
   * together, so one failing figure does not hide the others.
   */
  static void assertIngestedExactlyOnce(FreshDatabase database, String stream, String consumer, SeedRun seeded,
      long lastOffset) {
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(database.usageEvents()).as("rows = unique valid events").isEqualTo(seeded.uniqueValid());
    softly.assertThat(database.deadLetters()).as("dead letters = invalid events").isEqualTo(seeded.invalid());
    softly.assertThat(database.storedOffset(stream, consumer)).as("stored offset = the stream's last offset")
        .isEqualTo(lastOffset);
    for (String granularity : List.of("hourly", "daily")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      // The seeded events lie in the last 7 days; verify's range ends tomorrow 00:00.
      int exit = TallyCli.commandLine(Map.of("DATABASE_URL", database.url()), new PrintWriter(out, true),
          new PrintWriter(err, true)).execute("verify", "--granularity", granularity, "--days", "9");
      String[] lines = out.toString().strip().split("\n");
      String last = lines[lines.length - 1];
      softly.assertThat(exit).as("verify --granularity %s exit code; %s %s", granularity, out, err).isZero();
      softly.assertThat(last).as("verify --granularity %s", granularity).startsWith("VERIFY ")
          .contains(" drifting=0 ", " max_drift=0.000000 ").doesNotContain(" buckets=0 ");
    }
    softly.assertAll();
  }
}
