package io.tally.analytics.ports.out;

import io.tally.analytics.core.usage.UsageEventRules;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A slice of one organisation's raw events: {@code start <= occurredAt < end}, optionally one model.
 *
 * @param orgId organisation
 * @param start inclusive
 * @param end exclusive, after start
 * @param modelId optional model filter
 */
public record EventRange(UUID orgId, Instant start, Instant end, Optional<String> modelId) {
  /** Validates. */
  public EventRange {
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(modelId, "modelId");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("start must be before end");
    }
    if (modelId.isPresent() && !UsageEventRules.isValidModelId(modelId.get())) {
      throw new IllegalArgumentException("invalid modelId");
    }
  }

  /** @return true when the range contains the instant */
  public boolean contains(Instant at) {
    return !at.isBefore(start) && at.isBefore(end);
  }
}
