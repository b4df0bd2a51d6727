package io.tally.analytics.core.export;

import java.time.Instant;
import java.util.Objects;

/**
 * A worker's claim on a RUNNING job. The worker renews it while it writes (heartbeat); once {@code expiresAt}
 * has passed without renewal, the worker is presumed dead and another may take the job over.
 *
 * @param owner the claiming worker's id (unique per worker thread and process)
 * @param expiresAt when the claim lapses unless renewed
 */
public record ExportLease(String owner, Instant expiresAt) {
  /** Validates. */
  public ExportLease {
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("lease owner must not be blank");
    }
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** @return true when the lease has lapsed at {@code now} */
  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
