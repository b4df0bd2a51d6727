package io.tally.analytics.ports.in;

import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.reconcile.ReconciliationReport;
import java.util.Objects;
import java.util.UUID;

/**
 * Proves that the stored rollups equal the raw events of a range (the {@code verify} command). Requires
 * {@code analytics:usage:read} on the organisation.
 */
public interface Reconcile {
  /**
   * @param command what to compare
   * @return per-bucket drifts against the 0.5% policy
   */
  ReconciliationReport reconcile(ReconcileCommand command);

  /**
   * @param actor caller
   * @param orgId organisation
   * @param granularity hourly or daily rollups to check
   * @param window [start, end); aligned to the granularity so no bucket is cut in half
   */
  record ReconcileCommand(Actor actor, UUID orgId, Granularity granularity, TimeWindow window) {
    /** Validates. */
    public ReconcileCommand {
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(orgId, "orgId");
      Objects.requireNonNull(granularity, "granularity");
      Objects.requireNonNull(window, "window");
      if (!granularity.width().isAligned(window.start()) || !granularity.width().isAligned(window.end())) {
        throw new IllegalArgumentException("reconcile windows must be aligned to " + granularity.wireName()
            + " buckets");
      }
    }
  }
}
