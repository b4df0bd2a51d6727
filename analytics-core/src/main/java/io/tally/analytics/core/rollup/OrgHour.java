package io.tally.analytics.core.rollup;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * One organisation's hour: the unit a rollup refresh recomputes (every model of that hour at once), and the unit
 * that is quarantined when it cannot be rolled up ({@link QuarantinedHour}).
 *
 * @param orgId organisation
 * @param hour start of the UTC hour, aligned to {@link BucketWidth#HOUR}
 */
public record OrgHour(UUID orgId, Instant hour) implements Comparable<OrgHour> {
  private static final Comparator<OrgHour> ORDER = Comparator.comparing(OrgHour::orgId)
      .thenComparing(OrgHour::hour);

  /** Validates. */
  public OrgHour {
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(hour, "hour");
    if (!BucketWidth.HOUR.isAligned(hour)) {
      throw new IllegalArgumentException("hour must start a UTC hour: " + hour);
    }
  }

  /** @return the hour of {@code at} for the organisation */
  public static OrgHour of(UUID orgId, Instant at) {
    return new OrgHour(orgId, BucketWidth.HOUR.bucketStart(at));
  }

  /** Orders by organisation, then hour: the order refreshes claim hours in. */
  @Override
  public int compareTo(OrgHour other) {
    return ORDER.compare(this, other);
  }
}
