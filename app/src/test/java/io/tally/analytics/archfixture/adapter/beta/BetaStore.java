package io.tally.analytics.archfixture.adapter.beta;

/** Clean: an adapter that depends on nothing of ours. */
public class BetaStore {
  public String load(String key) {
    return key;
  }
}
