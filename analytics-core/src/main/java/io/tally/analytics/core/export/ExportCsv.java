package io.tally.analytics.core.export;

import io.tally.analytics.core.csv.CsvWriter;
import io.tally.analytics.core.rollup.UsageRollup;
import io.tally.analytics.core.usage.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The columns of the two export kinds and how one row is spelled, in one place for every writer and the docs
 * ({@code docs/exports.md}). Instants are RFC 3339 UTC ({@code 2025-11-01T00:00:00Z}, with a fraction only when
 * the event had one); money is {@code cost_micros}, exact integer micro-units, and {@code cost_usd}, the same
 * amount as an exact decimal string with six places (never a binary float); {@code unpriced_requests} counts the
 * requests of the row whose cost is unknown (no cost sent, no price in force), so a total is never silently
 * understated. Every text cell goes through
 * {@link CsvWriter#text}, hence the formula-injection guard.
 */
public final class ExportCsv {
  /** Columns of a usage export: one row per (bucket, model). */
  public static final List<String> USAGE_COLUMNS = List.of("bucket_start", "model_id", "requests", "errors",
      "input_tokens", "output_tokens", "cost_micros", "cost_usd", "unpriced_requests");

  /** Columns of a raw export: one row per stored usage event, in time order. */
  public static final List<String> RAW_COLUMNS = List.of("occurred_at", "event_id", "model_id", "status",
      "error_code", "input_tokens", "output_tokens", "cost_micros", "cost_usd", "latency_ms", "api_key_id",
      "actor_id", "region");

  private ExportCsv() {}

  /** @return the columns of a kind */
  public static List<String> columns(ExportKind kind) {
    return kind == ExportKind.RAW_EVENTS ? RAW_COLUMNS : USAGE_COLUMNS;
  }

  /** Writes the header row of a kind. */
  public static void header(CsvWriter out, ExportKind kind) {
    out.row(columns(kind));
  }

  /**
   * @param t an instant
   * @return exactly {@code t.toString()} (RFC 3339, UTC, fraction in groups of three digits when non-zero), built
   *     without a formatter for years 0000-9999: formatting was a tenth of a raw export's CPU time
   */
  public static String instant(Instant t) {
    long seconds = t.getEpochSecond();
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return t.toString();
    }
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    StringBuilder b = new StringBuilder(30);
    pad(b, date.getYear(), 4).append('-');
    pad(b, date.getMonthValue(), 2).append('-');
    pad(b, date.getDayOfMonth(), 2).append('T');
    pad(b, secondOfDay / 3600, 2).append(':');
    pad(b, secondOfDay / 60 % 60, 2).append(':');
    pad(b, secondOfDay % 60, 2);
    int nano = t.getNano();
    if (nano != 0) {
      b.append('.');
      if (nano % 1_000_000 == 0) {
        pad(b, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        pad(b, nano / 1_000, 6);
      } else {
        pad(b, nano, 9);
      }
    }
    return b.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder b, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(digits);
  }

  /** Writes one usage row. */
  public static void usageRow(CsvWriter out, Instant bucketStart, String modelId, UsageRollup r) {
    out.text(instant(bucketStart)).text(modelId).number(r.requests()).number(r.errors())
        .number(r.inputTokens()).number(r.outputTokens()).number(r.costMicros()).text(usd(r.costMicros()))
        .number(r.unpricedRequests()).endRow();
  }

  /** Writes one raw-event row; an unpriced event has empty cost cells. */
  public static void rawRow(CsvWriter out, UsageEvent e) {
    out.text(instant(e.occurredAt())).text(e.eventId()).text(e.modelId()).text(e.status().wireName())
        .text(e.errorCode().orElse(""));
    out.number(e.inputTokens()).number(e.outputTokens());
    Optional<Long> cost = e.costMicros();
    if (cost.isPresent()) {
      out.number(cost.get()).text(usd(cost.get()));
    } else {
      out.text("").text("");
    }
    out.number(e.latencyMs()).text(e.apiKeyId().orElse("")).text(e.actorId().orElse(""))
        .text(e.region().orElse("")).endRow();
  }

  /**
   * @param micros an amount in micro-units
   * @return the same amount in units as an exact decimal string with six places ({@code 23230720} →
   *     {@code 23.230720})
   */
  public static String usd(long micros) {
    if (micros < 0) {
      return BigDecimal.valueOf(micros, 6).toPlainString();
    }
    // Integer arithmetic: the same digits as BigDecimal.valueOf(micros, 6), without a BigDecimal per row.
    String fraction = Long.toString(micros % 1_000_000);
    return (micros / 1_000_000) + "." + "000000".substring(fraction.length()) + fraction;
  }
}
