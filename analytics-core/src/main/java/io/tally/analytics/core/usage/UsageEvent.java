package io.tally.analytics.core.usage;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One validated inference request. Build it from wire input with {@link UsageEventValidator}; the constructor
 * re-checks the invariants and throws {@link InvalidUsageEventException} when a caller bypasses the validator.
 *
 * @param eventId client id, 1..128 printable characters, unique per organisation
 * @param orgId owning organisation
 * @param occurredAt when the request happened (UTC instant)
 * @param modelId model served, {@code [A-Za-z0-9._:/@+-]{1,128}}
 * @param actorId optional end-user or service identity
 * @param apiKeyId optional API key identity
 * @param inputTokens prompt tokens, {@code >= 0}
 * @param outputTokens completion tokens, {@code >= 0}
 * @param costMicros cost in micro-units when the client sent it (it then wins over the price book); empty
 *     otherwise, and the rollup prices the event from the book
 * @param latencyMs end-to-end latency in milliseconds, {@code >= 0}
 * @param status success or error
 * @param errorCode optional upstream error code
 * @param region optional serving region
 */
public record UsageEvent(
    String eventId,
    UUID orgId,
    Instant occurredAt,
    String modelId,
    Optional<String> actorId,
    Optional<String> apiKeyId,
    long inputTokens,
    long outputTokens,
    Optional<Long> costMicros,
    long latencyMs,
    UsageStatus status,
    Optional<String> errorCode,
    Optional<String> region) {

  /** Validates every invariant; see {@link UsageEventRules} for the codes. */
  public UsageEvent {
    if (eventId == null) {
      throw new InvalidUsageEventException(UsageEventRules.MISSING_FIELD, "eventId is required");
    }
    if (!UsageEventRules.isValidEventId(eventId)) {
      throw new InvalidUsageEventException(UsageEventRules.INVALID_EVENT_ID, "invalid eventId");
    }
    require(orgId, "orgId");
    require(occurredAt, "occurredAt");
    require(modelId, "modelId");
    if (!UsageEventRules.isValidModelId(modelId)) {
      throw new InvalidUsageEventException(UsageEventRules.INVALID_MODEL_ID, "invalid modelId");
    }
    checkAttribute(require(actorId, "actorId"), "actorId");
    checkAttribute(require(apiKeyId, "apiKeyId"), "apiKeyId");
    checkAttribute(require(errorCode, "errorCode"), "errorCode");
    checkAttribute(require(region, "region"), "region");
    if (inputTokens < 0 || outputTokens < 0) {
      throw new InvalidUsageEventException(UsageEventRules.INVALID_TOKENS, "token counts must be >= 0");
    }
    if (require(costMicros, "costMicros").filter(c -> c < 0).isPresent()) {
      throw new InvalidUsageEventException(UsageEventRules.INVALID_COST, "costMicros must be >= 0");
    }
    if (latencyMs < 0) {
      throw new InvalidUsageEventException(UsageEventRules.INVALID_LATENCY, "latencyMs must be >= 0");
    }
    require(status, "status");
  }

  /**
   * Starts an event with the fields every event has; the optional ones are set by name. Defaults: no tokens,
   * latency 0, status success, no cost (the price book prices it), no actor, API key, error code or region.
   *
   * @param eventId the caller's request id, unique per organisation
   * @param orgId organisation
   * @param occurredAt when the request happened
   * @param modelId the model that served it
   * @return a builder
   */
  public static Builder builder(String eventId, UUID orgId, Instant occurredAt, String modelId) {
    return new Builder(eventId, orgId, occurredAt, modelId);
  }

  /** Builds a {@link UsageEvent}; {@link #build()} validates as the record does. Not thread-safe. */
  public static final class Builder {
    private final String eventId;
    private final UUID orgId;
    private final Instant occurredAt;
    private final String modelId;
    private Optional<String> actorId = Optional.empty();
    private Optional<String> apiKeyId = Optional.empty();
    private long inputTokens;
    private long outputTokens;
    private Optional<Long> costMicros = Optional.empty();
    private long latencyMs;
    private UsageStatus status = UsageStatus.SUCCESS;
    private Optional<String> errorCode = Optional.empty();
    private Optional<String> region = Optional.empty();

    private Builder(String eventId, UUID orgId, Instant occurredAt, String modelId) {
      this.eventId = eventId;
      this.orgId = orgId;
      this.occurredAt = occurredAt;
      this.modelId = modelId;
    }

    /**
     * @param input input tokens
     * @param output output tokens
     * @return this
     */
    public Builder tokens(long input, long output) {
      this.inputTokens = input;
      this.outputTokens = output;
      return this;
    }

    /**
     * @param millis latency of the request
     * @return this
     */
    public Builder latencyMs(long millis) {
      this.latencyMs = millis;
      return this;
    }

    /**
     * @param micros the request's own cost in micro-units, which wins over the price book
     * @return this
     */
    public Builder costMicros(long micros) {
      this.costMicros = Optional.of(micros);
      return this;
    }

    /**
     * @param code why the request failed; marks it status error
     * @return this
     */
    public Builder error(String code) {
      this.status = UsageStatus.ERROR;
      this.errorCode = Optional.of(code);
      return this;
    }

    /**
     * @param value the request's status
     * @return this
     */
    public Builder status(UsageStatus value) {
      this.status = value;
      return this;
    }

    /**
     * @param id who sent the request
     * @return this
     */
    public Builder actorId(String id) {
      this.actorId = Optional.of(id);
      return this;
    }

    /**
     * @param id the API key the request used
     * @return this
     */
    public Builder apiKeyId(String id) {
      this.apiKeyId = Optional.of(id);
      return this;
    }

    /**
     * @param name where the request was served
     * @return this
     */
    public Builder region(String name) {
      this.region = Optional.of(name);
      return this;
    }

    /**
     * @return the event
     * @throws InvalidUsageEventException when a field breaks a rule of {@link UsageEventRules}
     */
    public UsageEvent build() {
      return new UsageEvent(eventId, orgId, occurredAt, modelId, actorId, apiKeyId, inputTokens, outputTokens,
          costMicros, latencyMs, status, errorCode, region);
    }
  }

  /** @return the deduplication key */
  public UsageEventKey key() {
    return new UsageEventKey(orgId, eventId);
  }

  /** @return true when the request failed */
  public boolean isError() {
    return status == UsageStatus.ERROR;
  }

  /**
   * @param micros cost to attach, {@code >= 0}
   * @return a copy carrying that cost
   */
  public UsageEvent withCostMicros(long micros) {
    return new UsageEvent(eventId, orgId, occurredAt, modelId, actorId, apiKeyId, inputTokens, outputTokens,
        Optional.of(micros), latencyMs, status, errorCode, region);
  }

  private static <T> T require(T value, String field) {
    if (value == null) {
      throw new InvalidUsageEventException(UsageEventRules.MISSING_FIELD, field + " is required");
    }
    return value;
  }

  private static void checkAttribute(Optional<String> value, String field) {
    if (value.isPresent() && !UsageEventRules.isValidAttribute(value.get())) {
      throw new InvalidUsageEventException(UsageEventRules.INVALID_ATTRIBUTE, "invalid " + field);
    }
  }
}
