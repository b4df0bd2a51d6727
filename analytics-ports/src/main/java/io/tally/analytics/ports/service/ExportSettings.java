package io.tally.analytics.ports.service;

import io.tally.analytics.core.export.ExportRetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Export tuning. Start from {@link #defaults()} and change what differs with the {@code with…} methods.
 *
 * @param maxAttempts attempts before a job is FAILED (DESIGN alerts on exports failing twice, so 3 by default)
 * @param signedUrlTtl lifetime of download URLs ({@code EXPORT_SIGNED_URL_TTL}, default 24 h, at most 7 days:
 *     the longest a SigV4 presigned URL may live)
 * @param retention how long a finished file stays downloadable ({@code EXPORT_RETENTION}, default 7 days)
 * @param lease how long a worker's claim lasts without a heartbeat ({@code EXPORT_WORKER_LEASE}, default 60 s):
 *     a killed worker's job is taken over this long after its last heartbeat
 * @param rawMaxRows most rows of a raw export ({@code EXPORT_RAW_MAX_ROWS}, default 10,000); more fails the job
 *     with {@code export.too_many_rows}, never a silent truncation
 * @param retry backoff between attempts
 * @param tallyVersion version written into manifests
 */
public record ExportSettings(int maxAttempts, Duration signedUrlTtl, Duration retention, Duration lease,
    long rawMaxRows, ExportRetryPolicy retry, String tallyVersion) {
  /** Longest signed URL lifetime: SigV4 presigned URLs allow at most 7 days. */
  public static final Duration MAX_SIGNED_URL_TTL = Duration.ofDays(7);
  /** Default {@code EXPORT_RAW_MAX_ROWS}, the original incident export's limit. */
  public static final long DEFAULT_RAW_MAX_ROWS = 10_000;
  /** Heartbeats come at least this often, so progress shows each second. */
  private static final Duration MAX_HEARTBEAT_GAP = Duration.ofSeconds(1);

  /** Validates. */
  public ExportSettings {
    Objects.requireNonNull(signedUrlTtl, "signedUrlTtl");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(tallyVersion, "tallyVersion");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (!isPositive(signedUrlTtl) || signedUrlTtl.compareTo(MAX_SIGNED_URL_TTL) > 0) {
      throw new IllegalArgumentException("signed URL TTL must be positive and at most 7 days (SigV4's limit)");
    }
    if (!isPositive(retention) || !isPositive(lease) || lease.toMillis() < 100) {
      throw new IllegalArgumentException("retention and lease (>= 100 ms) must be positive");
    }
    if (rawMaxRows < 1) {
      throw new IllegalArgumentException("rawMaxRows must be >= 1");
    }
  }

  /** @return 3 attempts, 24 h URLs, 7 days retention, 60 s lease, 10,000 raw rows, default backoff */
  public static ExportSettings defaults() {
    return new ExportSettings(3, Duration.ofHours(24), Duration.ofDays(7), Duration.ofSeconds(60),
        DEFAULT_RAW_MAX_ROWS, ExportRetryPolicy.DEFAULT, "unknown");
  }

  /** @return a copy with this many attempts */
  public ExportSettings withMaxAttempts(int attempts) {
    return new ExportSettings(attempts, signedUrlTtl, retention, lease, rawMaxRows, retry, tallyVersion);
  }

  /** @return a copy with this URL lifetime */
  public ExportSettings withSignedUrlTtl(Duration ttl) {
    return new ExportSettings(maxAttempts, ttl, retention, lease, rawMaxRows, retry, tallyVersion);
  }

  /** @return a copy with this file retention */
  public ExportSettings withRetention(Duration keep) {
    return new ExportSettings(maxAttempts, signedUrlTtl, keep, lease, rawMaxRows, retry, tallyVersion);
  }

  /** @return a copy with this lease */
  public ExportSettings withLease(Duration claim) {
    return new ExportSettings(maxAttempts, signedUrlTtl, retention, claim, rawMaxRows, retry, tallyVersion);
  }

  /** @return a copy with this raw row cap */
  public ExportSettings withRawMaxRows(long rows) {
    return new ExportSettings(maxAttempts, signedUrlTtl, retention, lease, rows, retry, tallyVersion);
  }

  /** @return a copy with this backoff */
  public ExportSettings withRetry(ExportRetryPolicy policy) {
    return new ExportSettings(maxAttempts, signedUrlTtl, retention, lease, rawMaxRows, policy, tallyVersion);
  }

  /** @return a copy recording this version in manifests */
  public ExportSettings withTallyVersion(String version) {
    return new ExportSettings(maxAttempts, signedUrlTtl, retention, lease, rawMaxRows, retry, version);
  }

  /** @return how often a running worker renews its lease: a quarter of it, and at least every second */
  public Duration heartbeatEvery() {
    Duration quarter = lease.dividedBy(4);
    return quarter.compareTo(MAX_HEARTBEAT_GAP) < 0 ? quarter : MAX_HEARTBEAT_GAP;
  }

  private static boolean isPositive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }
}
