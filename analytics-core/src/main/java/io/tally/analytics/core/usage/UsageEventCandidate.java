package io.tally.analytics.core.usage;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An event exactly as a wire adapter parsed it, before any rule ran: every field is its textual form
 * ({@code "812"} for a number) or empty when absent. Keeping adapters this dumb puts every rule in
 * {@link UsageEventValidator}, so HTTP and stream ingest reject exactly the same events.
 *
 * @param eventId client event id
 * @param orgId organisation UUID text
 * @param occurredAt RFC 3339 instant text
 * @param modelId model id
 * @param actorId optional actor
 * @param apiKeyId optional API key id
 * @param inputTokens integer text
 * @param outputTokens integer text
 * @param costMicros optional integer text
 * @param latencyMs integer text
 * @param status {@code success} or {@code error}
 * @param errorCode optional upstream error code
 * @param region optional region
 * @param rawPayload the original message text when the adapter has it, kept for the dead-letter store
 */
public record UsageEventCandidate(
    Optional<String> eventId,
    Optional<String> orgId,
    Optional<String> occurredAt,
    Optional<String> modelId,
    Optional<String> actorId,
    Optional<String> apiKeyId,
    Optional<String> inputTokens,
    Optional<String> outputTokens,
    Optional<String> costMicros,
    Optional<String> latencyMs,
    Optional<String> status,
    Optional<String> errorCode,
    Optional<String> region,
    Optional<String> rawPayload) {

  /** Rejects null Optionals (absence is {@code Optional.empty()}). */
  public UsageEventCandidate {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(inputTokens, "inputTokens");
    Objects.requireNonNull(outputTokens, "outputTokens");
    Objects.requireNonNull(costMicros, "costMicros");
    Objects.requireNonNull(latencyMs, "latencyMs");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(rawPayload, "rawPayload");
  }

  /**
   * Builds a candidate from wire field names (the DESIGN.md appendix spelling: {@code eventId}, {@code orgId},
   * {@code occurredAt}, …). Unknown names are ignored; a JSON {@code null} should be passed as an absent key.
   *
   * @param fields field name to textual value
   * @param rawPayload the original text, if any
   * @return the candidate
   */
  public static UsageEventCandidate fromWireFields(Map<String, String> fields, Optional<String> rawPayload) {
    return new UsageEventCandidate(
        field(fields, "eventId"), field(fields, "orgId"), field(fields, "occurredAt"), field(fields, "modelId"),
        field(fields, "actorId"), field(fields, "apiKeyId"), field(fields, "inputTokens"),
        field(fields, "outputTokens"), field(fields, "costMicros"), field(fields, "latencyMs"),
        field(fields, "status"), field(fields, "errorCode"), field(fields, "region"), rawPayload);
  }

  /**
   * @param event a validated event
   * @return the candidate a client would have sent for it (used by tests and by re-validation)
   */
  public static UsageEventCandidate fromEvent(UsageEvent event) {
    return new UsageEventCandidate(
        Optional.of(event.eventId()), Optional.of(event.orgId().toString()),
        Optional.of(event.occurredAt().toString()), Optional.of(event.modelId()), event.actorId(),
        event.apiKeyId(), Optional.of(Long.toString(event.inputTokens())),
        Optional.of(Long.toString(event.outputTokens())), event.costMicros().map(String::valueOf),
        Optional.of(Long.toString(event.latencyMs())), Optional.of(event.status().wireName()),
        event.errorCode(), event.region(), Optional.empty());
  }

  /** @return a short human description for logs and dead letters when no raw payload was kept */
  public String describe() {
    return "eventId=" + eventId.orElse("?") + " orgId=" + orgId.orElse("?") + " occurredAt="
        + occurredAt.orElse("?") + " modelId=" + modelId.orElse("?");
  }

  private static Optional<String> field(Map<String, String> fields, String name) {
    return Optional.ofNullable(fields.get(name));
  }
}
