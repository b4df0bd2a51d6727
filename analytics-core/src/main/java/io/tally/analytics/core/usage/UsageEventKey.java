package io.tally.analytics.core.usage;

import java.util.Objects;
import java.util.UUID;

/**
 * The identity under which an event is deduplicated: the same key delivered twice is one event.
 *
 * @param orgId owning organisation
 * @param eventId the client's id, unique within the organisation
 */
public record UsageEventKey(UUID orgId, String eventId) {
  /** Validates. */
  public UsageEventKey {
    Objects.requireNonNull(orgId, "orgId");
    if (!UsageEventRules.isValidEventId(eventId)) {
      throw new InvalidUsageEventException(UsageEventRules.INVALID_EVENT_ID, "invalid eventId");
    }
  }
}
