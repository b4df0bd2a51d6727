package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.time.InstantBounds;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A product/marketing event of the AN-01 event store (DESIGN §1.2), validated on construction.
 *
 * <p>Error codes: {@code analytics_event.invalid_event_id}, {@code .invalid_tenant_id}, {@code .invalid_project_id},
 * {@code .invalid_identity} (user/request/run/step ids), {@code .invalid_event_type} (1..64 of
 * {@code [A-Za-z0-9_.:-]}), {@code .invalid_occurred_at}, {@code .invalid_attribution}, {@code .invalid_dimensions},
 * {@code .invalid_payload} (see {@link EventPayload}). Identifiers are 1..128 characters without control
 * characters.
 *
 * @param eventId unique within the tenant
 * @param tenantId owning tenant (object-level authorization key)
 * @param projectId project within the tenant
 * @param userId end user, the key of GDPR deletion
 * @param requestId request correlation id
 * @param runId run id
 * @param stepId step id
 * @param eventType for example {@code pageview}
 * @param occurredAt when it happened
 * @param attribution utm values
 * @param dimensions app, surface, platform, session
 * @param payload immutable JSON-like map
 */
public record AnalyticsEvent(String eventId, String tenantId, String projectId, Optional<String> userId,
    Optional<String> requestId, Optional<String> runId, Optional<String> stepId, String eventType,
    Instant occurredAt, Attribution attribution, Dimensions dimensions, Map<String, Object> payload) {

  /** Order in which stores return events (and cursors page): occurredAt, then eventId. */
  public static final Comparator<AnalyticsEvent> STORE_ORDER =
      Comparator.comparing(AnalyticsEvent::occurredAt).thenComparing(AnalyticsEvent::eventId);

  private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final String PREFIX = "analytics_event.";

  /** Validates and deep-copies the payload. */
  public AnalyticsEvent {
    EventText.required(eventId, "event_id", EventText.MAX_ID_LENGTH, PREFIX + "invalid_event_id");
    EventText.required(tenantId, "tenant_id", EventText.MAX_ID_LENGTH, PREFIX + "invalid_tenant_id");
    EventText.required(projectId, "project_id", EventText.MAX_ID_LENGTH, PREFIX + "invalid_project_id");
    String identity = PREFIX + "invalid_identity";
    userId = EventText.optional(userId, "user_id", EventText.MAX_ID_LENGTH, identity);
    requestId = EventText.optional(requestId, "request_id", EventText.MAX_ID_LENGTH, identity);
    runId = EventText.optional(runId, "run_id", EventText.MAX_ID_LENGTH, identity);
    stepId = EventText.optional(stepId, "step_id", EventText.MAX_ID_LENGTH, identity);
    if (eventType == null || !EVENT_TYPE.matcher(eventType).matches()) {
      throw new TallyException(TallyException.Kind.INVALID, PREFIX + "invalid_event_type",
          "event_type must be 1..64 characters of letters, digits, _ . : -.");
    }
    if (occurredAt == null) {
      throw new TallyException(TallyException.Kind.INVALID, PREFIX + "invalid_occurred_at", "occurred_at is required.");
    }
    InstantBounds.require(occurredAt, "occurred_at", TallyException.Kind.INVALID, PREFIX + "invalid_occurred_at");
    if (attribution == null) {
      throw new TallyException(TallyException.Kind.INVALID, Attribution.INVALID,
          "attribution must not be null (use Attribution.none()).");
    }
    if (dimensions == null) {
      throw new TallyException(TallyException.Kind.INVALID, Dimensions.INVALID,
          "dimensions must not be null (use Dimensions.none()).");
    }
    payload = EventPayload.validated(payload);
  }

  /** @return a builder with no optional values set and an empty payload */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder for events (twelve fields, most optional). */
  public static final class Builder {
    private String eventId;
    private String tenantId;
    private String projectId;
    private Optional<String> userId = Optional.empty();
    private Optional<String> requestId = Optional.empty();
    private Optional<String> runId = Optional.empty();
    private Optional<String> stepId = Optional.empty();
    private String eventType;
    private Instant occurredAt;
    private Attribution attribution = Attribution.none();
    private Dimensions dimensions = Dimensions.none();
    private Map<String, ?> payload = Map.of();

    private Builder() {}

    /** @return this */
    public Builder eventId(String v) {
      eventId = v;
      return this;
    }

    /** @return this */
    public Builder tenantId(String v) {
      tenantId = v;
      return this;
    }

    /** @return this */
    public Builder projectId(String v) {
      projectId = v;
      return this;
    }

    /** @return this */
    public Builder userId(String v) {
      userId = Optional.ofNullable(v);
      return this;
    }

    /** @return this */
    public Builder requestId(String v) {
      requestId = Optional.ofNullable(v);
      return this;
    }

    /** @return this */
    public Builder runId(String v) {
      runId = Optional.ofNullable(v);
      return this;
    }

    /** @return this */
    public Builder stepId(String v) {
      stepId = Optional.ofNullable(v);
      return this;
    }

    /** @return this */
    public Builder eventType(String v) {
      eventType = v;
      return this;
    }

    /** @return this */
    public Builder occurredAt(Instant v) {
      occurredAt = v;
      return this;
    }

    /** @return this */
    public Builder attribution(Attribution v) {
      attribution = Objects.requireNonNull(v);
      return this;
    }

    /** @return this */
    public Builder dimensions(Dimensions v) {
      dimensions = Objects.requireNonNull(v);
      return this;
    }

    /** @return this */
    public Builder payload(Map<String, ?> v) {
      payload = v;
      return this;
    }

    /** @return the validated event */
    public AnalyticsEvent build() {
      @SuppressWarnings("unchecked")
      Map<String, Object> p = (Map<String, Object>) payload;
      return new AnalyticsEvent(eventId, tenantId, projectId, userId, requestId, runId, stepId, eventType,
          occurredAt, attribution, dimensions, p);
    }
  }
}
