package io.tally.analytics.core.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The single place where wire input becomes a {@link UsageEvent}. It reports every broken rule of a candidate
 * at once (not just the first), so a client can fix a payload in one round trip and the dead-letter store
 * shows the full story.
 *
 * <p>Limits are configurable through {@link #builder()}; the defaults are the {@link EventTimeWindow} of
 * 400 days back and 5 minutes ahead, 10,000,000 tokens per side, a cost of 10^12 micros (one million currency
 * units) and a latency of 24 hours. Late delivery inside the window is normal and re-opens the buckets it
 * touches.
 */
public final class UsageEventValidator {
  private final EventTimeWindow window;
  private final long maxTokens;
  private final long maxCostMicros;
  private final long maxLatencyMs;

  private UsageEventValidator(Builder builder) {
    this.window = builder.window;
    this.maxTokens = builder.maxTokens;
    this.maxCostMicros = builder.maxCostMicros;
    this.maxLatencyMs = builder.maxLatencyMs;
  }

  /** @return a validator with the default limits */
  public static UsageEventValidator withDefaults() {
    return builder().build();
  }

  /** @return a builder starting from the default limits */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param candidate the event as parsed from the wire
   * @param now the current time (from the TimeSource), for the event-time window
   * @return {@link ValidationResult.Valid} or {@link ValidationResult.Invalid} listing every violation
   */
  public ValidationResult validate(UsageEventCandidate candidate, Instant now) {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(now, "now");
    List<Violation> violations = new ArrayList<>();
    Optional<String> eventId = text(candidate.eventId(), "eventId", violations)
        .filter(v -> check(UsageEventRules.isValidEventId(v), UsageEventRules.INVALID_EVENT_ID, "eventId",
            "eventId must be 1..128 printable characters", violations));
    Optional<UUID> orgId = text(candidate.orgId(), "orgId", violations).flatMap(v -> uuid(v, violations));
    Optional<Instant> occurredAt =
        text(candidate.occurredAt(), "occurredAt", violations).flatMap(v -> instant(v, now, violations));
    Optional<String> modelId = text(candidate.modelId(), "modelId", violations)
        .filter(v -> check(UsageEventRules.isValidModelId(v), UsageEventRules.INVALID_MODEL_ID, "modelId",
            "modelId must match [A-Za-z0-9._:/@+-]{1,128}", violations));
    Optional<String> actorId = attribute(candidate.actorId(), "actorId", violations);
    Optional<String> apiKeyId = attribute(candidate.apiKeyId(), "apiKeyId", violations);
    Optional<Long> inputTokens = text(candidate.inputTokens(), "inputTokens", violations)
        .flatMap(v -> bounded(v, maxTokens, UsageEventRules.INVALID_TOKENS, "inputTokens", violations));
    Optional<Long> outputTokens = text(candidate.outputTokens(), "outputTokens", violations)
        .flatMap(v -> bounded(v, maxTokens, UsageEventRules.INVALID_TOKENS, "outputTokens", violations));
    boolean costOk = true;
    Optional<Long> costMicros = Optional.empty();
    if (candidate.costMicros().isPresent()) {
      costMicros = bounded(candidate.costMicros().get(), maxCostMicros, UsageEventRules.INVALID_COST,
          "costMicros", violations);
      costOk = costMicros.isPresent();
    }
    Optional<Long> latencyMs = text(candidate.latencyMs(), "latencyMs", violations)
        .flatMap(v -> bounded(v, maxLatencyMs, UsageEventRules.INVALID_LATENCY, "latencyMs", violations));
    Optional<UsageStatus> status = text(candidate.status(), "status", violations).flatMap(v -> {
      Optional<UsageStatus> parsed = UsageStatus.fromWireName(v);
      check(parsed.isPresent(), UsageEventRules.INVALID_STATUS, "status", "status must be success or error",
          violations);
      return parsed;
    });
    Optional<String> errorCode = attribute(candidate.errorCode(), "errorCode", violations);
    Optional<String> region = attribute(candidate.region(), "region", violations);

    if (!violations.isEmpty() || !costOk) {
      return new ValidationResult.Invalid(violations);
    }
    return new ValidationResult.Valid(new UsageEvent(eventId.orElseThrow(), orgId.orElseThrow(),
        occurredAt.orElseThrow(), modelId.orElseThrow(), actorId, apiKeyId, inputTokens.orElseThrow(),
        outputTokens.orElseThrow(), costMicros, latencyMs.orElseThrow(), status.orElseThrow(), errorCode,
        region));
  }

  /**
   * Checks an event built in code ({@link UsageEvent#builder}): the record already holds its field rules, so what
   * is left are the limits of this validator and the event-time window, with the same codes as for the wire.
   *
   * @param event a typed event
   * @param now the current time (from the TimeSource), for the event-time window
   * @return {@link ValidationResult.Valid} with the same event, or {@link ValidationResult.Invalid}
   */
  public ValidationResult validate(UsageEvent event, Instant now) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(now, "now");
    List<Violation> violations = new ArrayList<>();
    window.check(event.occurredAt(), now).ifPresent(violations::add);
    within(event.inputTokens(), maxTokens, UsageEventRules.INVALID_TOKENS, "inputTokens", violations);
    within(event.outputTokens(), maxTokens, UsageEventRules.INVALID_TOKENS, "outputTokens", violations);
    event.costMicros().ifPresent(c -> within(c, maxCostMicros, UsageEventRules.INVALID_COST, "costMicros",
        violations));
    within(event.latencyMs(), maxLatencyMs, UsageEventRules.INVALID_LATENCY, "latencyMs", violations);
    return violations.isEmpty() ? new ValidationResult.Valid(event) : new ValidationResult.Invalid(violations);
  }

  private static boolean within(long value, long max, String code, String field, List<Violation> violations) {
    return check(value >= 0 && value <= max, code, field, field + " must be between 0 and " + max, violations);
  }

  private static Optional<String> text(Optional<String> value, String field, List<Violation> violations) {
    if (value.isEmpty()) {
      violations.add(new Violation(UsageEventRules.MISSING_FIELD, field, field + " is required"));
    }
    return value;
  }

  private static boolean check(boolean ok, String code, String field, String message, List<Violation> out) {
    if (!ok) {
      out.add(new Violation(code, field, message));
    }
    return ok;
  }

  private static Optional<UUID> uuid(String value, List<Violation> violations) {
    if (!UsageEventRules.isCanonicalUuid(value)) {
      violations.add(new Violation(UsageEventRules.INVALID_ORG_ID, "orgId", "orgId must be a UUID"));
      return Optional.empty();
    }
    return Optional.of(UUID.fromString(value));
  }

  private Optional<Instant> instant(String value, Instant now, List<Violation> violations) {
    Instant parsed;
    try {
      parsed = OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      violations.add(new Violation(UsageEventRules.INVALID_TIMESTAMP, "occurredAt",
          "occurredAt must be an RFC 3339 timestamp with offset"));
      return Optional.empty();
    }
    Optional<Violation> outside = window.check(parsed, now);
    outside.ifPresent(violations::add);
    return outside.isEmpty() ? Optional.of(parsed) : Optional.empty();
  }

  private static Optional<Long> bounded(String value, long max, String code, String field,
      List<Violation> violations) {
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      violations.add(new Violation(code, field, field + " must be an integer"));
      return Optional.empty();
    }
    if (parsed < 0 || parsed > max) {
      violations.add(new Violation(code, field, field + " must be between 0 and " + max));
      return Optional.empty();
    }
    return Optional.of(parsed);
  }

  private static Optional<String> attribute(Optional<String> value, String field, List<Violation> violations) {
    if (value.isPresent() && !UsageEventRules.isValidAttribute(value.get())) {
      violations.add(new Violation(UsageEventRules.INVALID_ATTRIBUTE, field,
          field + " must be 1..128 printable characters"));
      return Optional.empty();
    }
    return value;
  }

  /** Configures the limits of a {@link UsageEventValidator}. */
  public static final class Builder {
    private EventTimeWindow window = EventTimeWindow.defaults();
    private long maxTokens = 10_000_000L;
    private long maxCostMicros = 1_000_000_000_000L;
    private long maxLatencyMs = Duration.ofHours(24).toMillis();

    private Builder() {}

    /** @param window how far in the past and the future occurredAt may be */
    public Builder eventTimeWindow(EventTimeWindow window) {
      this.window = java.util.Objects.requireNonNull(window, "window");
      return this;
    }

    /** @param max largest accepted inputTokens / outputTokens */
    public Builder maxTokens(long max) {
      this.maxTokens = positive(max);
      return this;
    }

    /** @param max largest accepted costMicros */
    public Builder maxCostMicros(long max) {
      this.maxCostMicros = positive(max);
      return this;
    }

    /** @param max largest accepted latencyMs */
    public Builder maxLatencyMs(long max) {
      this.maxLatencyMs = positive(max);
      return this;
    }

    /** @return the validator */
    public UsageEventValidator build() {
      return new UsageEventValidator(this);
    }

    private static long positive(long value) {
      if (value <= 0) {
        throw new IllegalArgumentException("limit must be > 0");
      }
      return value;
    }
  }
}
