package io.tally.analytics.archfixture.core;

import io.tally.analytics.archfixture.Planted;
import io.tally.analytics.archfixture.ports.FixtureTimeSource;

@Planted("core depends on a port")
public class PortReachingRule {
  public long epochSecond(FixtureTimeSource time) {
    return time.now().getEpochSecond();
  }
}
