package io.tally.analytics.adapter.postgres;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of {@code analytics.usage_events} as the append path writes it. Adapter-internal: the nullable
 * fields (the cost too, when the client sent none) are SQL NULLs and never leave this package; the domain event maps onto it at the port boundary.
 */
record UsageEventRow(
    UUID orgId,
    String eventId,
    Instant occurredAt,
    String modelId,
    String actorId,
    String apiKeyId,
    long inputTokens,
    long outputTokens,
    Long costMicros,
    long latencyMs,
    String status,
    String errorCode,
    String region,
    String fingerprint) {

  UsageEventRow {
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(eventId, "eventId");
    // PostgreSQL keeps microseconds; truncating here makes both load paths store the same instant.
    occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
