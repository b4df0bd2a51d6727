package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A keyset position in {@link AnalyticsEvent#STORE_ORDER}: the last (occurredAt, eventId) returned. Encoded as
 * URL-safe Base64 so clients treat it as opaque; stores that page by keyset can share it, others may define their
 * own cursor format (the port only promises an opaque string).
 *
 * @param occurredAt occurredAt of the last event returned
 * @param eventId eventId of the last event returned
 */
public record EventCursor(Instant occurredAt, String eventId) {
  /** Rejects nulls. */
  public EventCursor {
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(eventId, "eventId");
  }

  /** @return the cursor positioned after {@code last} */
  public static EventCursor after(AnalyticsEvent last) {
    return new EventCursor(last.occurredAt(), last.eventId());
  }

  /** @return the opaque string form */
  public String encode() {
    String plain = occurredAt.getEpochSecond() + ":" + occurredAt.getNano() + ":" + eventId;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param cursor a value from {@link #encode()}
   * @return the position
   * @throws TallyException {@code analytics_query.invalid_cursor}
   */
  public static EventCursor decode(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = plain.split(":", 3);
      return new EventCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), parts[2]);
    } catch (RuntimeException e) {
      throw new TallyException(TallyException.Kind.INVALID, AnalyticsQuery.INVALID_CURSOR,
          "cursor is not a next_cursor value.", e);
    }
  }

  /** @return true when {@code e} comes strictly after this position */
  public boolean isBefore(AnalyticsEvent e) {
    int c = e.occurredAt().compareTo(occurredAt);
    return c > 0 || (c == 0 && e.eventId().compareTo(eventId) > 0);
  }
}
