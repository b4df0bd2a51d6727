package io.tally.analytics.core.rollup;

import io.tally.analytics.core.usage.UsageEventRules;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * Identifies one rollup bucket of one organisation and model. The width is not part of the key: a map of keys
 * always belongs to one width.
 *
 * @param orgId organisation
 * @param modelId model
 * @param bucketStart start of the bucket (inclusive)
 */
public record RollupKey(UUID orgId, String modelId, Instant bucketStart) {
  /** Orders by bucket, then model, then organisation: the order the query APIs answer in. */
  public static final Comparator<RollupKey> BY_BUCKET_THEN_MODEL = Comparator.comparing(RollupKey::bucketStart)
      .thenComparing(RollupKey::modelId).thenComparing(RollupKey::orgId);

  /** Validates. */
  public RollupKey {
    Objects.requireNonNull(orgId, "orgId");
    if (!UsageEventRules.isValidModelId(modelId)) {
      throw new IllegalArgumentException("invalid modelId: " + modelId);
    }
    Objects.requireNonNull(bucketStart, "bucketStart");
  }

  /**
   * @param width a coarser (or equal) width
   * @return the key of the bucket at that width containing this bucket
   */
  public RollupKey at(BucketWidth width) {
    return new RollupKey(orgId, modelId, width.bucketStart(bucketStart));
  }
}
