package io.tally.analytics.archfixture.adapter.alpha;

import io.tally.analytics.archfixture.Planted;
import io.tally.analytics.archfixture.adapter.beta.BetaStore;

@Planted("an adapter depends on another adapter")
public class AlphaCache {
  private final BetaStore backing;

  public AlphaCache(BetaStore backing) {
    this.backing = backing;
  }

  public String get(String key) {
    return backing.load(key);
  }
}
