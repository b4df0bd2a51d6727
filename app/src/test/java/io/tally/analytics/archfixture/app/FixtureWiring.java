package io.tally.analytics.archfixture.app;

import io.tally.analytics.archfixture.adapter.alpha.AlphaClock;
import io.tally.analytics.archfixture.adapter.beta.BetaStore;
import io.tally.analytics.archfixture.core.CleanTariff;
import io.tally.analytics.archfixture.ports.FixtureTimeSource;

/** Clean: app is the one place that knows several adapters and wires them by hand. */
public class FixtureWiring {
  public long price(long tokens) {
    FixtureTimeSource time = new AlphaClock();
    new BetaStore().load("warm-up");
    return new CleanTariff(3).priceOf(tokens, time.now());
  }
}
