package io.tally.analytics.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.rollup.BucketWidth;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.out.RollupSums;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.GoldenDataset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The usage API's sketch-free read gives exactly the buckets, order and sums of the full rollup read. */
class PostgresRollupSumsIT {
  @RegisterExtension static final TestDatabases db = new TestDatabases();

  @Test
  void sumsEqualTheFullRowsForEveryOrgWidthAndModelFilter() {
    PostgresUsageModule m = new PostgresUsageModule(db.jdbi(), GoldenDataset.INGEST_CLOCK);
    GoldenDataset golden = GoldenDataset.load();
    golden.ingestInBatches(m.ingest, Actors.system(), 1_000);
    m.rollup.run(new RunRollupCommand(Actors.system(), 500, 1_000));
    RollupSums cheap = new PostgresRollupSums(db.jdbi());
    RollupSums full = RollupSums.of(m.rollups);
    var expected = golden.expected();
    int compared = 0;
    for (UUID org : expected.orgs()) {
      for (BucketWidth width : new BucketWidth[] {BucketWidth.HOUR, BucketWidth.DAY}) {
        for (Optional<String> model : java.util.List.of(Optional.<String>empty(), Optional.of("llama-3-70b"))) {
          var rows = cheap.sums(org, width, expected.start(), expected.end(), model);
          assertThat(rows).isEqualTo(full.sums(org, width, expected.start(), expected.end(), model));
          compared += rows.size();
        }
      }
    }
    assertThat(compared).isPositive();
  }
}
