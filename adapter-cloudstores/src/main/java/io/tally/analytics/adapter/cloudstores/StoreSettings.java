package io.tally.analytics.adapter.cloudstores;

import io.tally.analytics.core.analyticsevent.Retention;
import io.tally.analytics.core.analyticsevent.ScanLimit;
import io.tally.analytics.ports.out.TimeSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-route settings of a document store.
 *
 * @param retention the route's {@code ttl_days}
 * @param scanLimit most events one aggregation may read
 * @param clock what "now" is for expiry
 */
public record StoreSettings(Optional<Retention> retention, ScanLimit scanLimit, TimeSource clock) {
  /** Rejects nulls. */
  public StoreSettings {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(scanLimit, "scanLimit");
    Objects.requireNonNull(clock, "clock");
  }
}
