package io.tally.analytics.archfixture.ports;

import io.tally.analytics.archfixture.Planted;
import io.tally.analytics.archfixture.adapter.beta.BetaStore;

@Planted("ports depend on an adapter")
public interface AdapterAwarePort {
  BetaStore store();
}
