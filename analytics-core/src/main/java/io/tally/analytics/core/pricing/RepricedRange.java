package io.tally.analytics.core.pricing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A stretch of time in which a price change makes one model cost differently: the hours holding events of that
 * model without their own cost in this range must be rolled up again. See {@link PriceBook#repricedRanges}.
 *
 * @param modelId the model
 * @param orgId the organisation whose override changed; empty when the list price changed (every organisation)
 * @param start first instant affected (inclusive)
 * @param end end of the range (exclusive); empty when it runs on indefinitely
 */
public record RepricedRange(String modelId, Optional<UUID> orgId, Instant start, Optional<Instant> end) {
  /** Validates. */
  public RepricedRange {
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isPresent() && !end.get().isAfter(start)) {
      throw new IllegalArgumentException("a repriced range ends after it starts");
    }
  }

  /**
   * @param orgId an event's organisation
   * @param modelId its model
   * @param at its time
   * @return true when an event there is affected
   */
  public boolean covers(UUID orgId, String modelId, Instant at) {
    return this.modelId.equals(modelId) && this.orgId.map(orgId::equals).orElse(true)
        && !at.isBefore(start) && end.map(at::isBefore).orElse(true);
  }
}
