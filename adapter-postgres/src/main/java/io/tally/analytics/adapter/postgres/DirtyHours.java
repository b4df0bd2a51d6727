package io.tally.analytics.adapter.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

/**
 * Marks (org, hour) rows of {@code analytics.dirty_hours} for the rollup: what an append does for the hours it
 * inserted into and a price change for the hours it re-prices. Both go through here, so both lock the marks in
 * one order (Java's order of {@link Hour}) and cannot deadlock with each other.
 *
 * <p>A mark is incremental (the append wrote a delta for every event it inserted, {@link RollupDeltas}: the
 * refresh may merge them) or full (the hour must be recomputed from its raw events: a price change, a forced
 * refresh, an append whose delta could not be computed). Full wins when both mark one hour.
 */
final class DirtyHours {

  // Sorted (org, hour) pairs, so concurrent writers lock them in one order. An hour that is already dirty is
  // updated in place rather than skipped: the update locks the row until this transaction ends, so a refresh
  // claiming hours (FOR UPDATE SKIP LOCKED) passes it over instead of clearing it before this transaction's rows
  // are visible to it. DO NOTHING took no lock, and such an hour lost its mark with these rows never rolled up
  // (PostgresRollupDirtyRaceIT). The update also keeps a full mark full: an incremental mark never downgrades it.
  private static final String MARK_DIRTY =
      """
      INSERT INTO analytics.dirty_hours AS m (org_id, bucket_start, full_recompute)
      SELECT d.org_id, timestamptz 'epoch' + d.hour_us * interval '1 microsecond', d.full_recompute
        FROM unnest(?::uuid[], ?::int8[], ?::bool[]) WITH ORDINALITY AS d(org_id, hour_us, full_recompute, n)
       ORDER BY d.n
      ON CONFLICT (org_id, bucket_start) DO UPDATE SET full_recompute = m.full_recompute OR EXCLUDED.full_recompute
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
   * @param full whether the hours must be recomputed from their raw events
   */
  static void mark(Handle h, SortedSet<Hour> hours, boolean full) {
    SortedMap<Hour, Boolean> marks = new TreeMap<>();
    hours.forEach(hour -> marks.put(hour, full));
    mark(h, marks);
  }

  /**
   * @param h the handle of the caller's transaction
   * @param hours the hours to mark, in their natural order, each with whether it must be recomputed from its raw
   *     events
   */
  static void mark(Handle h, SortedMap<Hour, Boolean> hours) {
    if (hours.isEmpty()) {
      return;
    }
    UUID[] orgs = new UUID[hours.size()];
    long[] hourMicros = new long[hours.size()];
    boolean[] full = new boolean[hours.size()];
    int i = 0;
    for (Map.Entry<Hour, Boolean> d : hours.entrySet()) {
      orgs[i] = d.getKey().org();
      full[i] = d.getValue();
      hourMicros[i++] = UnnestStagingLoader.epochMicros(d.getKey().hour());
    }
    try (PreparedStatement ps = h.getConnection().prepareStatement(MARK_DIRTY)) {
      PGConnection pg = h.getConnection().unwrap(PGConnection.class);
      ps.setArray(1, pg.createArrayOf("uuid", orgs));
      ps.setArray(2, pg.createArrayOf("int8", hourMicros));
      ps.setArray(3, pg.createArrayOf("bool", full));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new PostgresAdapterException("marking dirty hours failed", e);
    }
  }
}
