package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.usage.StreamLeaseToken;
import io.tally.analytics.ports.out.StreamLeases;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Stream leases in {@code analytics.stream_leases} (V13, epoch V16). Taking and renewing is one upsert that succeeds
 * only when the row is absent, expired or still the caller's token (holder and epoch), so two instances racing for
 * an expired lease cannot both win: the row lock serializes them and the second sees the first's fresh expiry. A
 * taking gets a new epoch from a sequence (never repeated, also after a row is deleted); a renewal keeps it (each
 * try draws a number, a gap that costs nothing). The upsert waits for any stream batch in flight, which holds the row
 * {@code FOR SHARE} until it commits ({@link UsageBatchAppender}): a takeover is ordered after that batch, and the
 * new holder's consumer reads the offset it stored. Times come from the database's {@code now()} (the transaction's
 * start, a few milliseconds at most before the statement).
 */
public final class PostgresStreamLeases implements StreamLeases {
  private static final String ACQUIRE_OR_RENEW =
      """
      INSERT INTO analytics.stream_leases AS l (stream, consumer, holder, epoch, acquired_at, renewed_at, expires_at)
      VALUES (:stream, :consumer, :holder, nextval('analytics.stream_lease_epochs'), now(), now(),
              now() + :millis * interval '1 millisecond')
      ON CONFLICT (stream, consumer) DO UPDATE
         SET holder = EXCLUDED.holder,
             epoch = CASE WHEN l.holder = EXCLUDED.holder AND l.epoch = CAST(:heldEpoch AS bigint) THEN l.epoch
                          ELSE EXCLUDED.epoch END,
             acquired_at = CASE WHEN l.holder = EXCLUDED.holder AND l.epoch = CAST(:heldEpoch AS bigint)
                                     AND l.expires_at > now() THEN l.acquired_at
                                ELSE now() END,
             renewed_at = now(),
             expires_at = EXCLUDED.expires_at
       WHERE (l.holder = EXCLUDED.holder AND l.epoch = CAST(:heldEpoch AS bigint)) OR l.expires_at <= now()
      RETURNING holder, epoch
      """;

  private static final String HOLDER =
      "SELECT holder FROM analytics.stream_leases WHERE stream = :stream AND consumer = :consumer AND expires_at > now()";

  private static final String RELEASE = "UPDATE analytics.stream_leases SET expires_at = now() "
      + "WHERE stream = :stream AND consumer = :consumer AND holder = :holder AND epoch = :epoch";

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresStreamLeases(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public Optional<StreamLeaseToken> acquireOrRenew(String stream, String consumer, String holder,
      Optional<StreamLeaseToken> held, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("lease duration must be positive");
    }
    // A token of another holder or lease never renews: it is as if this caller held none.
    Long heldEpoch = held.filter(t -> t.holder().equals(holder) && t.stream().equals(stream)
        && t.consumer().equals(consumer)).map(StreamLeaseToken::epoch).orElse(null);
    return translate("stream lease", () -> jdbi.withHandle(h -> h.createQuery(ACQUIRE_OR_RENEW)
        .bind("stream", stream).bind("consumer", consumer).bind("holder", holder)
        .bind("heldEpoch", heldEpoch).bind("millis", duration.toMillis())
        .map((rs, ctx) -> new StreamLeaseToken(stream, consumer, rs.getString("holder"), rs.getLong("epoch")))
        .findOne()));
  }

  @Override
  public Optional<String> holder(String stream, String consumer) {
    return translate("stream lease holder", () -> jdbi.withHandle(h -> h.createQuery(HOLDER)
        .bind("stream", stream).bind("consumer", consumer).mapTo(String.class).findOne()));
  }

  @Override
  public void release(StreamLeaseToken held) {
    translate("stream lease release", () -> jdbi.withHandle(h -> h.createUpdate(RELEASE)
        .bind("stream", held.stream()).bind("consumer", held.consumer()).bind("holder", held.holder())
        .bind("epoch", held.epoch()).execute()));
  }
}
