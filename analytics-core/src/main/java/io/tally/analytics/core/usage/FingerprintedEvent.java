package io.tally.analytics.core.usage;

import java.util.Objects;

/**
 * A validated (and usually priced) event together with the fingerprint of its as-received form, which is what
 * stores compare to tell a duplicate from a conflict.
 *
 * @param event the event to store
 * @param fingerprint fingerprint of the event as received, before pricing
 */
public record FingerprintedEvent(UsageEvent event, UsageEventFingerprint fingerprint) {
  /** Validates. */
  public FingerprintedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /**
   * @param asReceived the validated event before pricing
   * @return the event with its fingerprint computed
   */
  public static FingerprintedEvent of(UsageEvent asReceived) {
    return new FingerprintedEvent(asReceived, UsageEventFingerprint.of(asReceived));
  }

  /** @return the deduplication key */
  public UsageEventKey key() {
    return event.key();
  }

  /**
   * @param priced the same event after pricing
   * @return a copy with the priced event and the unchanged as-received fingerprint
   */
  public FingerprintedEvent withEvent(UsageEvent priced) {
    return new FingerprintedEvent(priced, fingerprint);
  }
}
