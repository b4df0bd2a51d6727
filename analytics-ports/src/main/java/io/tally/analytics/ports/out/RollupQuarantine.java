package io.tally.analytics.ports.out;

import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The hours set apart because their rollup failed ({@link QuarantinedHour}). The rollup use case decides what goes
 * in and when it is tried again ({@link RollupRetryPolicy}); {@link RollupTransaction#claimDirty} passes quarantined
 * hours over, and a refresh step that rolls an hour up releases it ({@link RollupTransaction#release}) in the same
 * transaction. Contract: {@code RollupQuarantineContract}.
 */
public interface RollupQuarantine {
  /**
   * Stores the entry, replacing any earlier one of the same hour.
   *
   * @param entry the hour and its failure
   */
  void record(QuarantinedHour entry);

  /** @return the entry of that hour, empty when it is not quarantined */
  Optional<QuarantinedHour> find(OrgHour hour);

  /**
   * @param now the current time
   * @param limit most entries, {@code > 0}
   * @return entries whose next attempt is due at {@code now}, earliest due first
   */
  List<QuarantinedHour> due(Instant now, int limit);

  /**
   * @param limit most entries, {@code > 0}
   * @return entries, oldest first failure first
   */
  List<QuarantinedHour> list(int limit);

  /**
   * @param orgId organisation
   * @param limit most entries, {@code > 0}
   * @return that organisation's entries, oldest first failure first
   */
  List<QuarantinedHour> forOrg(UUID orgId, int limit);

  /** @return how many hours are quarantined */
  long count();
}
