package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.tally.analytics.adapter.http.UsageJson.FreshnessView;
import io.tally.analytics.adapter.http.UsageJson.UsageView;
import io.tally.analytics.core.freshness.Freshness;
import io.tally.analytics.core.freshness.FreshnessStatus;
import io.tally.analytics.ports.in.QueryUsage.UsagePoint;
import io.tally.analytics.ports.in.QueryUsage.UsageReport;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes of a {@code GET …/usage} answer ({@link UsageView}), with everything but the freshness block serialized
 * once per answer the use case reuses. The use case hands out the same series list while it reuses an answer
 * ({@code UsageAnswers}), so the serialized parts are kept per series instance (identity, not equality: a list
 * recomputed from the rollups is serialized anew) and checked against the report's organisation, window,
 * granularity and totals before use. The freshness block, which changes with every request ({@code lagSeconds}), is
 * serialized each time and put between the two kept parts; the result is byte for byte what serializing the whole
 * {@link UsageView} gives.
 */
final class UsageBodies {
  /** Answers whose parts are kept (a week of daily points by model is about 3 KB). */
  static final int KEPT = 256;
  /**
   * Stands in for the freshness block while the kept parts are cut out of a whole serialization: it comes before the
   * series, so its first occurrence is the block itself.
   */
  private static final Freshness PLACEHOLDER = new Freshness(Optional.empty(), 0, FreshnessStatus.ERROR,
      Optional.of("\u0000usage-bodies-placeholder\u0000"));

  private final ObjectWriter usageWriter;
  private final ObjectWriter freshnessWriter;
  private final byte[] placeholder;
  private final Map<Identity, Parts> kept = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Identity, Parts> eldest) {
      return size() > KEPT;
    }
  };

  /** @param mapper the server's response mapper */
  UsageBodies(ObjectMapper mapper) {
    this.usageWriter = mapper.writerFor(UsageView.class);
    this.freshnessWriter = mapper.writerFor(FreshnessView.class);
    this.placeholder = bytes(freshnessWriter, FreshnessView.from(PLACEHOLDER));
  }

  /** @return the JSON of {@code UsageView.from(report)} */
  byte[] body(UsageReport report) {
    Identity series = new Identity(report.series());
    Parts parts;
    synchronized (kept) {
      parts = kept.get(series);
    }
    if (parts == null || !parts.answers(report)) {
      parts = split(report);
      synchronized (kept) {
        kept.put(series, parts);
      }
    }
    byte[] freshness = bytes(freshnessWriter, FreshnessView.from(report.freshness()));
    byte[] body = new byte[parts.before.length + freshness.length + parts.after.length];
    System.arraycopy(parts.before, 0, body, 0, parts.before.length);
    System.arraycopy(freshness, 0, body, parts.before.length, freshness.length);
    System.arraycopy(parts.after, 0, body, parts.before.length + freshness.length, parts.after.length);
    return body;
  }

  /** @return the number of answers whose parts are kept now */
  int kept() {
    synchronized (kept) {
      return kept.size();
    }
  }

  private Parts split(UsageReport report) {
    byte[] whole = bytes(usageWriter, UsageView.from(new UsageReport(report.orgId(), report.granularity(),
        report.window(), PLACEHOLDER, report.series(), report.totals())));
    int at = indexOf(whole, placeholder);
    if (at < 0) {
      throw new IllegalStateException("usage answer serialized without its freshness block");
    }
    return new Parts(report, Arrays.copyOfRange(whole, 0, at),
        Arrays.copyOfRange(whole, at + placeholder.length, whole.length));
  }

  private static byte[] bytes(ObjectWriter writer, Object value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A series list compared by identity. */
  private record Identity(List<UsagePoint> series) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.series == series;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(series);
    }
  }

  /** The serialized answer around its freshness block, and what it was serialized from. */
  private record Parts(UsageReport from, byte[] before, byte[] after) {
    boolean answers(UsageReport report) {
      return from.orgId().equals(report.orgId()) && from.granularity() == report.granularity()
          && from.window().equals(report.window()) && from.totals().equals(report.totals());
    }
  }
}
