package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;
import java.util.Objects;
import java.util.Optional;

/**
 * A page request over the event store: a filter, a page size of 1..{@value #MAX_LIMIT}
 * ({@code analytics_query.invalid_limit}) and an opaque cursor from the previous page
 * ({@code analytics_query.invalid_cursor} when blank or longer than 512 characters). Results come in
 * {@link AnalyticsEvent#STORE_ORDER}.
 *
 * @param filter which events
 * @param limit page size
 * @param cursor {@code next_cursor} of the previous page, empty for the first
 */
public record AnalyticsQuery(EventFilter filter, int limit, Optional<String> cursor) {
  /** Largest page. */
  public static final int MAX_LIMIT = 1000;
  /** Page size when the caller gives none. */
  public static final int DEFAULT_LIMIT = 100;
  /** Error code for a limit out of range. */
  public static final String INVALID_LIMIT = "analytics_query.invalid_limit";
  /** Error code for a malformed cursor. */
  public static final String INVALID_CURSOR = "analytics_query.invalid_cursor";

  /** Validates. */
  public AnalyticsQuery {
    Objects.requireNonNull(filter, "filter");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID_LIMIT,
          "limit must be between 1 and " + MAX_LIMIT + ".");
    }
    Objects.requireNonNull(cursor, "cursor");
    if (cursor.isPresent() && (cursor.get().isBlank() || cursor.get().length() > 512)) {
      throw new TallyException(TallyException.Kind.INVALID, INVALID_CURSOR, "cursor is not a next_cursor value.");
    }
  }

  /** @return the first page of {@code filter} */
  public static AnalyticsQuery firstPage(EventFilter filter, int limit) {
    return new AnalyticsQuery(filter, limit, Optional.empty());
  }

  /** @return the page after the one that returned {@code nextCursor} */
  public AnalyticsQuery after(String nextCursor) {
    return new AnalyticsQuery(filter, limit, Optional.of(nextCursor));
  }
}
