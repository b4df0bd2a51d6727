package io.tally.analytics.core.export;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * What the caller asked to export: kind, time range, granularity and compression.
 *
 * @param kind usage rollups or raw events
 * @param start range start, inclusive
 * @param end range end, exclusive; strictly after {@code start}
 * @param granularity bucket width (ignored for raw events, but recorded)
 * @param compression how the file is stored
 */
public record ExportSpec(ExportKind kind, Instant start, Instant end, ExportGranularity granularity,
    ExportCompression compression) {
  /** Error code for a malformed spec. */
  public static final String INVALID_SPEC = "export.invalid_request";

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

  /** Validates. */
  public ExportSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(compression, "compression");
    if (start == null || end == null || !start.isBefore(end)) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID_SPEC,
          "timeRange.start must be before timeRange.end.");
    }
  }

  /** An uncompressed export. */
  public ExportSpec(ExportKind kind, Instant start, Instant end, ExportGranularity granularity) {
    this(kind, start, end, granularity, ExportCompression.NONE);
  }

  /**
   * @return the file name users see, for example {@code tally-usage-daily-20251101T0000Z-20251108T0000Z.csv}: it
   *     names what is inside, so a downloaded file can be told apart from the next one
   */
  public String fileName() {
    String what = kind == ExportKind.RAW_EVENTS ? "raw" : "usage-" + granularity.wireName();
    return "tally-" + what + "-" + FILE_TIME.format(start) + "-" + FILE_TIME.format(end) + "."
        + compression.extension();
  }
}
