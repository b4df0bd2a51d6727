package io.tally.analytics.core.analyticsevent;

import java.util.Optional;

/**
 * Where an event happened. Values follow the same rules as {@link Attribution}, else
 * {@code analytics_event.invalid_dimensions}.
 *
 * @param app app, for example {@code northstar_ui}
 * @param surface surface, for example {@code homepage}
 * @param platform platform, for example {@code web}
 * @param sessionId session_id
 */
public record Dimensions(Optional<String> app, Optional<String> surface, Optional<String> platform,
    Optional<String> sessionId) {

  /** Error code for a bad dimension value. */
  public static final String INVALID = "analytics_event.invalid_dimensions";

  /** Validates. */
  public Dimensions {
    app = EventText.optional(app, "app", EventText.MAX_LABEL_LENGTH, INVALID);
    surface = EventText.optional(surface, "surface", EventText.MAX_LABEL_LENGTH, INVALID);
    platform = EventText.optional(platform, "platform", EventText.MAX_LABEL_LENGTH, INVALID);
    sessionId = EventText.optional(sessionId, "session_id", EventText.MAX_LABEL_LENGTH, INVALID);
  }

  /** @return no dimensions */
  public static Dimensions none() {
    return new Dimensions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
