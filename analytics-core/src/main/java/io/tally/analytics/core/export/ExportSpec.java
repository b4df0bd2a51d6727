package io.tally.analytics.core.export;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import java.util.Objects;

/**
 * What the caller asked to export: kind, time range and granularity.
 *
 * @param kind usage rollups or raw events
 * @param start range start, inclusive
 * @param end range end, exclusive; strictly after {@code start}
 * @param granularity bucket width (ignored for raw events, but recorded)
 */
public record ExportSpec(ExportKind kind, Instant start, Instant end, ExportGranularity granularity) {
  /** Error code for a malformed spec. */
  public static final String INVALID_SPEC = "export.invalid_request";

  /** Validates. */
  public ExportSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(granularity, "granularity");
    if (start == null || end == null || !start.isBefore(end)) {
      throw new TallyException(INVALID_SPEC, "timeRange.start must be before timeRange.end.");
    }
  }
}
