package io.tally.analytics.ports.out;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The freshness watermark per organisation: when its rollups last caught up with everything ingested. The rollup
 * refresh ({@code ports.service.RollupRefresher}) advances it through {@link #advanceClean}; reads go through here.
 * An organisation with a dirty hour (see {@link RollupStore}) reads its own watermark only. Contract:
 * {@code FreshnessStoreContract}.
 */
public interface FreshnessStore {
  /**
   * @param orgId organisation
   * @return the watermark, empty when the organisation was never rolled up
   */
  Optional<Instant> lastRollupAt(UUID orgId);

  /**
   * Moves the watermark forward; an older instant leaves it unchanged.
   *
   * @param orgId organisation
   * @param at new watermark
   */
  void advance(UUID orgId, Instant at);

  /**
   * Records a finished refresh step: each of {@code refreshed} that has no dirty hour left advances to {@code at},
   * and every known organisation without a dirty hour reads at least {@code at} from now on (an idle system keeps
   * reporting fresh data, at the cost of a row or two however many organisations there are). Never moves a
   * watermark back.
   *
   * @param refreshed organisations whose hours the step rolled up
   * @param at the step's time
   */
  void advanceClean(Set<UUID> refreshed, Instant at);
}
