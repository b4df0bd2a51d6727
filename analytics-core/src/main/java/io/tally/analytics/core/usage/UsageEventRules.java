package io.tally.analytics.core.usage;

import java.util.regex.Pattern;

/**
 * The stable error codes and shape rules shared by {@link UsageEvent}'s constructor and
 * {@link UsageEventValidator}, so that both reject exactly the same values.
 */
public final class UsageEventRules {
  /** A required field is absent. */
  public static final String MISSING_FIELD = "event.missing_field";
  /** {@code eventId} is blank, longer than {@value #MAX_ID_LENGTH} characters or holds control characters. */
  public static final String INVALID_EVENT_ID = "event.invalid_event_id";
  /** {@code orgId} is not a canonical UUID. */
  public static final String INVALID_ORG_ID = "event.invalid_org_id";
  /** {@code occurredAt} is not an RFC 3339 instant. */
  public static final String INVALID_TIMESTAMP = "event.invalid_timestamp";
  /** {@code occurredAt} lies before the event-time window ({@link EventTimeWindow}, {@code MAX_EVENT_AGE}). */
  public static final String TOO_OLD = "event.too_old";
  /** {@code occurredAt} lies after the event-time window ({@link EventTimeWindow}, {@code MAX_CLOCK_SKEW}). */
  public static final String IN_FUTURE = "event.in_future";
  /** {@code modelId} is blank, too long or holds characters outside {@code [A-Za-z0-9._:/@+-]}. */
  public static final String INVALID_MODEL_ID = "event.invalid_model_id";
  /** A token count is not a non-negative integer within the configured maximum. */
  public static final String INVALID_TOKENS = "event.invalid_tokens";
  /** {@code costMicros} is not a non-negative integer within the configured maximum. */
  public static final String INVALID_COST = "event.invalid_cost";
  /** {@code latencyMs} is not a non-negative integer within the configured maximum. */
  public static final String INVALID_LATENCY = "event.invalid_latency";
  /** {@code status} is neither {@code success} nor {@code error}. */
  public static final String INVALID_STATUS = "event.invalid_status";
  /** An optional text attribute (actorId, apiKeyId, errorCode, region) is blank, too long or has control characters. */
  public static final String INVALID_ATTRIBUTE = "event.invalid_attribute";

  /** Longest accepted eventId, modelId and optional attribute. */
  public static final int MAX_ID_LENGTH = 128;

  private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9._:/@+-]{1,128}");
  private static final Pattern CANONICAL_UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private UsageEventRules() {}

  /** @return true when {@code value} is an acceptable eventId */
  public static boolean isValidEventId(String value) {
    return isPrintableId(value);
  }

  /** @return true when {@code value} is an acceptable modelId */
  public static boolean isValidModelId(String value) {
    return value != null && MODEL_ID.matcher(value).matches();
  }

  /** @return true when {@code value} is an acceptable optional attribute */
  public static boolean isValidAttribute(String value) {
    return isPrintableId(value);
  }

  /** @return true when {@code value} has the 8-4-4-4-12 hex form ({@code UUID.fromString} accepts far more) */
  public static boolean isCanonicalUuid(String value) {
    return value != null && CANONICAL_UUID.matcher(value).matches();
  }

  private static boolean isPrintableId(String value) {
    if (value == null || value.isBlank() || value.length() > MAX_ID_LENGTH) {
      return false;
    }
    return value.chars().noneMatch(Character::isISOControl);
  }
}
