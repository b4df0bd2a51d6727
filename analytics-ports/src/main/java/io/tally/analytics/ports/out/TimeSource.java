package io.tally.analytics.ports.out;

import java.time.Instant;

/** The clock port: the only way core and use cases learn the time, so tests control it. */
@FunctionalInterface
public interface TimeSource {
  /** @return the current instant */
  Instant now();
}
