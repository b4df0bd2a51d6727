package io.tally.analytics.adapter.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.SortedSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

/**
 * Marks (org, hour) rows of {@code analytics.dirty_hours} for the rollup: what an append does for the hours it
 * inserted into and a price change for the hours it re-prices. Both go through here, so both lock the marks in
 * one order (Java's order of {@link Hour}) and cannot deadlock with each other.
 */
final class DirtyHours {

  // Sorted (org, hour) pairs, so concurrent writers lock them in one order. An hour that is already dirty is
  // updated in place rather than skipped: the update locks the row until this transaction ends, so a refresh
  // claiming hours (FOR UPDATE SKIP LOCKED) passes it over instead of clearing it before this transaction's rows
  // are visible to it. DO NOTHING took no lock, and such an hour lost its mark with these rows never rolled up
  // (PostgresRollupDirtyRaceIT).
  private static final String MARK_DIRTY =
      """
      INSERT INTO analytics.dirty_hours (org_id, bucket_start)
      SELECT d.org_id, timestamptz 'epoch' + d.hour_us * interval '1 microsecond'
        FROM unnest(?::uuid[], ?::int8[]) WITH ORDINALITY AS d(org_id, hour_us, n)
       ORDER BY d.n
      ON CONFLICT (org_id, bucket_start) DO UPDATE SET bucket_start = EXCLUDED.bucket_start
      """;

  private DirtyHours() {}

  /** An organisation's hour; ordered by org, then hour. */
  record Hour(UUID org, Instant hour) implements Comparable<Hour> {
    @Override
    public int compareTo(Hour o) {
      int c = org.compareTo(o.org);
      return c != 0 ? c : hour.compareTo(o.hour);
    }
  }

  /**
   * @param h the handle of the caller's transaction
   * @param hours the hours to mark, in their natural order
   */
  static void mark(Handle h, SortedSet<Hour> hours) {
    if (hours.isEmpty()) {
      return;
    }
    UUID[] orgs = new UUID[hours.size()];
    long[] hourMicros = new long[hours.size()];
    int i = 0;
    for (Hour d : hours) {
      orgs[i] = d.org();
      hourMicros[i++] = UnnestStagingLoader.epochMicros(d.hour());
    }
    try (PreparedStatement ps = h.getConnection().prepareStatement(MARK_DIRTY)) {
      PGConnection pg = h.getConnection().unwrap(PGConnection.class);
      ps.setArray(1, pg.createArrayOf("uuid", orgs));
      ps.setArray(2, pg.createArrayOf("int8", hourMicros));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new PostgresAdapterException("marking dirty hours failed", e);
    }
  }
}
