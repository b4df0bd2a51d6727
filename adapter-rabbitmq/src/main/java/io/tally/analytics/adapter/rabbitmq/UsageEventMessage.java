package io.tally.analytics.adapter.rabbitmq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A usage event as publishers send it: the JSON usage event of DESIGN's appendix (the same schema as
 * {@code POST /analytics/v1/events}). Validation of the content (known org, non-negative tokens, …) happens in
 * Tally on ingest; invalid events are dead-lettered there with the reason, so this type only checks shape.
 *
 * @param eventId the caller's request id; {@code (orgId, eventId)} is the deduplication key in Tally
 * @param orgId organisation id
 * @param occurredAt when the inference request happened
 * @param modelId model id
 * @param apiKeyId optional API key id
 * @param inputTokens input tokens
 * @param outputTokens output tokens
 * @param costMicros optional cost in micro-units; absent means Tally prices it from the price book
 * @param latencyMs end-to-end latency in milliseconds
 * @param status {@code success} or {@code error}
 * @param errorCode optional error code when {@code status} is {@code error}
 * @param region optional region
 */
public record UsageEventMessage(
    String eventId,
    String orgId,
    Instant occurredAt,
    String modelId,
    Optional<String> apiKeyId,
    long inputTokens,
    long outputTokens,
    OptionalLong costMicros,
    long latencyMs,
    String status,
    Optional<String> errorCode,
    Optional<String> region) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public UsageEventMessage {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(costMicros, "costMicros");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(region, "region");
  }

  /** @return a successful request without optional fields; add them with the {@code with…} methods */
  public static UsageEventMessage ok(String eventId, String orgId, Instant occurredAt, String modelId,
      long inputTokens, long outputTokens, long latencyMs) {
    return new UsageEventMessage(eventId, orgId, occurredAt, modelId, Optional.empty(), inputTokens, outputTokens,
        OptionalLong.empty(), latencyMs, "success", Optional.empty(), Optional.empty());
  }

  public UsageEventMessage withCostMicros(long micros) {
    return new UsageEventMessage(eventId, orgId, occurredAt, modelId, apiKeyId, inputTokens, outputTokens,
        OptionalLong.of(micros), latencyMs, status, errorCode, region);
  }

  public UsageEventMessage withError(String code) {
    return new UsageEventMessage(eventId, orgId, occurredAt, modelId, apiKeyId, inputTokens, outputTokens,
        costMicros, latencyMs, "error", Optional.of(code), region);
  }

  public UsageEventMessage withApiKeyId(String id) {
    return new UsageEventMessage(eventId, orgId, occurredAt, modelId, Optional.of(id), inputTokens, outputTokens,
        costMicros, latencyMs, status, errorCode, region);
  }

  public UsageEventMessage withRegion(String r) {
    return new UsageEventMessage(eventId, orgId, occurredAt, modelId, apiKeyId, inputTokens, outputTokens,
        costMicros, latencyMs, status, errorCode, Optional.of(r));
  }

  /** @return the wire JSON, UTF-8; absent optional fields are left out */
  public byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("eventId", eventId);
    n.put("orgId", orgId);
    n.put("occurredAt", occurredAt.toString());
    n.put("modelId", modelId);
    apiKeyId.ifPresent(v -> n.put("apiKeyId", v));
    n.put("inputTokens", inputTokens);
    n.put("outputTokens", outputTokens);
    costMicros.ifPresent(v -> n.put("costMicros", v));
    n.put("latencyMs", latencyMs);
    n.put("status", status);
    errorCode.ifPresent(v -> n.put("errorCode", v));
    region.ifPresent(v -> n.put("region", v));
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }
}
