package io.tally.analytics.ports.out;

/** What the store did with one event of a batch. */
public enum AppendOutcome {
  /** First time this (orgId, eventId) was seen: stored. */
  INSERTED,
  /** Seen before with the same fingerprint: nothing changed. */
  DUPLICATE,
  /** Seen before with a different fingerprint: the first write stands, this payload was kept for inspection. */
  CONFLICT
}
