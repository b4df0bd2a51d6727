package io.tally.analytics.core.rollup;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The width of a rollup bucket. Buckets are aligned to the UTC epoch, and the width must divide 24 hours so
 * every UTC day starts a bucket; 15-minute buckets exist so that local days in any IANA zone (+5:30, +5:45,
 * DST) can later be assembled exactly.
 *
 * @param duration positive, whole seconds, dividing 24 h
 */
public record BucketWidth(Duration duration) {
  /** Fifteen-minute buckets. */
  public static final BucketWidth FIFTEEN_MINUTES = new BucketWidth(Duration.ofMinutes(15));
  /** Hourly buckets. */
  public static final BucketWidth HOUR = new BucketWidth(Duration.ofHours(1));
  /** UTC-day buckets. */
  public static final BucketWidth DAY = new BucketWidth(Duration.ofDays(1));

  private static final long DAY_SECONDS = Duration.ofDays(1).getSeconds();

  /** Validates. */
  public BucketWidth {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero() || duration.getNano() != 0
        || DAY_SECONDS % duration.getSeconds() != 0) {
      throw new IllegalArgumentException("bucket width must be whole seconds dividing 24h: " + duration);
    }
  }

  /**
   * @param at any instant
   * @return the start of the bucket containing it (floor to a multiple of the width since the epoch)
   */
  public Instant bucketStart(Instant at) {
    long seconds = duration.getSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), seconds) * seconds);
  }

  /**
   * @param at any instant
   * @param width bucket width
   * @return {@code width.bucketStart(at)}
   */
  public static Instant bucketStart(Instant at, BucketWidth width) {
    return width.bucketStart(at);
  }

  /** @return true when {@code at} is the start of a bucket */
  public boolean isAligned(Instant at) {
    return bucketStart(at).equals(at);
  }

  /**
   * @param coarser another width
   * @return true when every bucket of {@code coarser} is a whole number of buckets of this width
   */
  public boolean divides(BucketWidth coarser) {
    return coarser.duration.getSeconds() % duration.getSeconds() == 0;
  }
}
