package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.rollup.BucketWidth;

/** Which table holds the rollups of a bucket width: only hours and days are stored. */
final class RollupTables {
  private RollupTables() {}

  /** @throws TallyException {@code rollup.unsupported_width} for any other width */
  static String forWidth(BucketWidth width) {
    if (BucketWidth.HOUR.equals(width)) {
      return "usage_rollup_hourly";
    }
    if (BucketWidth.DAY.equals(width)) {
      return "usage_rollup_daily";
    }
    throw new TallyException(TallyException.Kind.FAULT, "rollup.unsupported_width",
        "rollups are stored hourly and daily, not " + width);
  }
}
