package io.tally.analytics.core.analyticsevent;

import java.util.Optional;

/**
 * Marketing attribution of an event (the {@code utm_*} parameters). Each value, when present, is non-blank, at
 * most 256 characters and free of control characters, else {@code analytics_event.invalid_attribution}.
 *
 * @param utmSource utm_source
 * @param utmMedium utm_medium
 * @param utmCampaign utm_campaign
 * @param utmContent utm_content
 * @param utmTerm utm_term
 */
public record Attribution(Optional<String> utmSource, Optional<String> utmMedium, Optional<String> utmCampaign,
    Optional<String> utmContent, Optional<String> utmTerm) {

  /** Error code for a bad utm value. */
  public static final String INVALID = "analytics_event.invalid_attribution";

  /** Validates. */
  public Attribution {
    utmSource = EventText.optional(utmSource, "utm_source", EventText.MAX_LABEL_LENGTH, INVALID);
    utmMedium = EventText.optional(utmMedium, "utm_medium", EventText.MAX_LABEL_LENGTH, INVALID);
    utmCampaign = EventText.optional(utmCampaign, "utm_campaign", EventText.MAX_LABEL_LENGTH, INVALID);
    utmContent = EventText.optional(utmContent, "utm_content", EventText.MAX_LABEL_LENGTH, INVALID);
    utmTerm = EventText.optional(utmTerm, "utm_term", EventText.MAX_LABEL_LENGTH, INVALID);
  }

  /** @return attribution with no utm values */
  public static Attribution none() {
    return new Attribution(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
