package io.tally.analytics.core.export;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of a SUCCEEDED job.
 *
 * @param manifest what the file holds and its checksum
 * @param expiresAt when the file stops being downloadable
 */
public record ExportResult(ExportManifest manifest, Instant expiresAt) {
  /** Validates. */
  public ExportResult {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
