package io.tally.analytics.archfixture.core;

import io.tally.analytics.archfixture.Planted;
import java.time.Instant;

@Planted("core reads the wall clock: Instant.now()")
public class WallClockReader {
  public Instant stamp() {
    return Instant.now();
  }
}
