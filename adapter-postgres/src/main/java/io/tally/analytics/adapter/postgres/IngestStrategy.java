package io.tally.analytics.adapter.postgres;

import java.sql.Array;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The part of an append the benchmark compares: getting the rows to the server, claiming their keys in
 * usage_event_keys and inserting the claimed events into usage_events. Everything else in the
 * transaction is shared ({@link UsageBatchAppender}).
 */
interface IngestStrategy {

  /**
   * The strategy the adapter uses: unnest arrays, no staging table. Measured fastest, by a few percent, in
   * every interleaved run of {@code scripts/bench ingest-db} (docs/benchmarks.md); it also needs no temp
   * table, so it works unchanged behind a transaction-pooling proxy.
   */
  static IngestStrategy adapterDefault() {
    return new StagedIngest(new UnnestStagingLoader());
  }

  /** Short name printed by the benchmark. */
  String name();

  /**
   * Claims keys and inserts the claimed events, inside the caller's transaction.
   *
   * @param staged the batch in key order, later arrivals of a key flagged as repeats; ord = list index
   */
  Claimed claimAndInsert(Handle h, UsageBatchAppender.Staged staged, UUID batchId, OffsetDateTime now);

  /** How many events were inserted, and the ords (ascending) of the staged rows that were not. */
  record Claimed(int inserted, int[] rejected) {}

  static int[] ints(Array array) throws SQLException {
    Integer[] boxed = (Integer[]) array.getArray();
    int[] out = new int[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      out[i] = boxed[i];
    }
    return out;
  }
}
