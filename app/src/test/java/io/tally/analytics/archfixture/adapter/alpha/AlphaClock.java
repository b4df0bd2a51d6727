package io.tally.analytics.archfixture.adapter.alpha;

import io.tally.analytics.archfixture.ports.FixtureTimeSource;
import java.time.Instant;

/** Clean: an adapter implements a port and may read the real clock. */
public class AlphaClock implements FixtureTimeSource {
  @Override
  public Instant now() {
    return Instant.now();
  }
}
