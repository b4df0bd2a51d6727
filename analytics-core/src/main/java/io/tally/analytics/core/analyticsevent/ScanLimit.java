package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;

/**
 * How many stored events a backend may read to answer one call when it cannot aggregate or count natively
 * (document stores read the matching partitions and count or aggregate here). Past the limit the call fails with
 * {@value #TOO_BROAD} instead of reading on: the caller narrows the time range or adds filters.
 *
 * @param maxEvents events one call may read, at least 1
 */
public record ScanLimit(long maxEvents) {
  /** Error code of a call that would read more than the limit. */
  public static final String TOO_BROAD = "query.too_broad";
  /** The limit when the deployment sets none: about a minute of reading at document-store speeds. */
  public static final ScanLimit DEFAULT = new ScanLimit(100_000);

  /** Validates. */
  public ScanLimit {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents >= 1");
    }
  }

  /**
   * @param scanned events read so far by this call
   * @throws TallyException {@value #TOO_BROAD} when {@code scanned} exceeds the limit
   */
  public void check(long scanned) {
    if (scanned > maxEvents) {
      throw new TallyException(TallyException.Kind.INVALID, TOO_BROAD, "This query would read more than " + maxEvents
          + " events; narrow start_time/end_time or add filters.");
    }
  }
}
