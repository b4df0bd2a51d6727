package io.tally.analytics.adapter.postgres;

/**
 * What one append did, exactly: {@code received = inserted + duplicates + conflicts}. A duplicate is a
 * resend with the same fingerprint as the stored event; a conflict is a resend of a stored (org, event id)
 * with a different payload (first write wins, the later payload goes to usage_event_conflicts).
 * {@code offsetAdvanced} is false when the batch carried no position or an older one than stored.
 */
record AppendCounts(int received, int inserted, int duplicates, int conflicts, boolean offsetAdvanced) {
  AppendCounts {
    if (received != inserted + duplicates + conflicts || inserted < 0 || duplicates < 0 || conflicts < 0) {
      throw new IllegalStateException(
          "inconsistent append counts: received=%d inserted=%d duplicates=%d conflicts=%d"
              .formatted(received, inserted, duplicates, conflicts));
    }
  }
}
