package io.tally.analytics.archfixture.core;

import io.tally.analytics.archfixture.Planted;
import java.time.Instant;
import java.util.function.Supplier;

@Planted("core reads the wall clock through a method reference: Instant::now")
public class ClockReference {
  public Supplier<Instant> clock() {
    return Instant::now;
  }
}
