package io.tally.analytics.ports.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Export tuning.
 *
 * @param maxAttempts attempts before a job is FAILED (DESIGN alerts on exports failing twice, so 3 by default)
 * @param signedUrlTtl lifetime of download URLs ({@code EXPORT_SIGNED_URL_TTL}, default 24 h)
 */
public record ExportSettings(int maxAttempts, Duration signedUrlTtl) {
  /** Validates. */
  public ExportSettings {
    Objects.requireNonNull(signedUrlTtl, "signedUrlTtl");
    if (maxAttempts < 1 || signedUrlTtl.isNegative() || signedUrlTtl.isZero()) {
      throw new IllegalArgumentException("maxAttempts >= 1 and a positive TTL required");
    }
  }

  /** @return 3 attempts, 24 h URLs */
  public static ExportSettings defaults() {
    return new ExportSettings(3, Duration.ofHours(24));
  }
}
