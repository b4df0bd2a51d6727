package io.tally.analytics.archfixture.core;

import java.time.Instant;

/** Clean: takes the time as a parameter and does pure arithmetic. */
public record CleanTariff(long microsPerToken) {
  public long priceOf(long tokens, Instant at) {
    return at.getEpochSecond() >= 0 ? tokens * microsPerToken : 0;
  }
}
