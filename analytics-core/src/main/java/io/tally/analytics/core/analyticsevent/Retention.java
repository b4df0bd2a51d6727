package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's retention: an event expires {@code days} after it occurred. Backends hand expiry to the store's own
 * TTL (DynamoDB TTL, Firestore TTL policy, Cosmos {@code ttl}), which deletes lazily (DynamoDB within days), so
 * every read also drops events whose {@link #expiresAt} has passed.
 *
 * @param days 1..{@value #MAX_DAYS}
 */
public record Retention(int days) {
  /** Route config key holding the retention in days. */
  public static final String CONFIG_KEY = "ttl_days";
  /** Longest retention: 100 years. */
  public static final int MAX_DAYS = 36_500;
  /** Expiry written when a tenant has no retention: beyond any TTL sweep, so reads need no special case. */
  public static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");

  /** Validates. */
  public Retention {
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("days must be 1.." + MAX_DAYS);
    }
  }

  /**
   * @param config a route's config
   * @return the retention it sets, if any
   * @throws TallyException {@code route.invalid_config} naming {@value #CONFIG_KEY} when it is not 1..36500
   */
  public static Optional<Retention> fromConfig(Map<String, String> config) {
    String raw = config.get(CONFIG_KEY);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Retention(Integer.parseInt(raw.trim())));
    } catch (IllegalArgumentException e) {
      throw new TallyException(TallyException.Kind.MALFORMED, io.tally.analytics.core.routing.Route.INVALID_CONFIG,
          "config." + CONFIG_KEY + " must be a whole number of days between 1 and " + MAX_DAYS + ".");
    }
  }

  /** @return when an event that occurred at {@code occurredAt} expires */
  public Instant expiresAt(Instant occurredAt) {
    return occurredAt.plus(Duration.ofDays(days));
  }

  /**
   * @param retention a tenant's retention, if any
   * @param occurredAt the event's time
   * @return its expiry, {@link #NEVER} without retention
   */
  public static Instant expiryOf(Optional<Retention> retention, Instant occurredAt) {
    return retention.map(r -> r.expiresAt(occurredAt)).orElse(NEVER);
  }
}
