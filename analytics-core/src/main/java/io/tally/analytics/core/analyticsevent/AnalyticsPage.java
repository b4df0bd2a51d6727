package io.tally.analytics.core.analyticsevent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of query results ({@code {"records", "total", "limit", "next_cursor"}} on the wire).
 *
 * @param records events in {@link AnalyticsEvent#STORE_ORDER}, at most {@code limit}
 * @param total events matching the filter across all pages
 * @param limit the page size asked for
 * @param nextCursor present when more events follow
 */
public record AnalyticsPage(List<AnalyticsEvent> records, long total, int limit, Optional<String> nextCursor) {
  /** Validates and copies. */
  public AnalyticsPage {
    records = List.copyOf(records);
    Objects.requireNonNull(nextCursor, "nextCursor");
    if (total < records.size() || records.size() > limit) {
      throw new IllegalArgumentException("need records <= limit and records <= total");
    }
  }

  /** @return an empty page (lab mode without a store) */
  public static AnalyticsPage empty(int limit) {
    return new AnalyticsPage(List.of(), 0, limit, Optional.empty());
  }
}
