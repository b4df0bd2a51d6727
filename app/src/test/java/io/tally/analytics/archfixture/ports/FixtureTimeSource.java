package io.tally.analytics.archfixture.ports;

import java.time.Instant;

/** Clean: a driven port. */
public interface FixtureTimeSource {
  Instant now();
}
