package io.tally.analytics.archfixture.core;

import io.tally.analytics.archfixture.Planted;

@Planted("core reads the wall clock: System.currentTimeMillis()")
public class MillisStamper {
  public long stamp() {
    return System.currentTimeMillis();
  }
}
