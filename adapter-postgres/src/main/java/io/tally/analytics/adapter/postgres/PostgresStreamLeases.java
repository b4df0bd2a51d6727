package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.ports.out.StreamLeases;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Stream leases in {@code analytics.stream_leases} (V13). Taking and renewing is one upsert that succeeds only when
 * the row is absent, expired or already this holder's, so two instances racing for an expired lease cannot both
 * win: the row lock serializes them and the second sees the first's fresh expiry. Times come from the database's
 * {@code now()} (the transaction's start, a few milliseconds at most before the statement).
 */
public final class PostgresStreamLeases implements StreamLeases {
  private static final String ACQUIRE_OR_RENEW =
      """
      INSERT INTO analytics.stream_leases AS l (stream, consumer, holder, acquired_at, renewed_at, expires_at)
      VALUES (:stream, :consumer, :holder, now(), now(), now() + :millis * interval '1 millisecond')
      ON CONFLICT (stream, consumer) DO UPDATE
         SET holder = EXCLUDED.holder,
             acquired_at = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now() THEN l.acquired_at
                                ELSE now() END,
             renewed_at = now(),
             expires_at = EXCLUDED.expires_at
       WHERE l.holder = EXCLUDED.holder OR l.expires_at <= now()
      RETURNING holder
      """;

  private static final String HOLDER =
      "SELECT holder FROM analytics.stream_leases WHERE stream = :stream AND consumer = :consumer AND expires_at > now()";

  private static final String RELEASE = "UPDATE analytics.stream_leases SET expires_at = now() "
      + "WHERE stream = :stream AND consumer = :consumer AND holder = :holder";

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresStreamLeases(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public boolean acquireOrRenew(String stream, String consumer, String holder, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("lease duration must be positive");
    }
    return translate("stream lease", () -> jdbi.withHandle(h -> h.createQuery(ACQUIRE_OR_RENEW)
        .bind("stream", stream).bind("consumer", consumer).bind("holder", holder)
        .bind("millis", duration.toMillis())
        .mapTo(String.class).findOne().isPresent()));
  }

  @Override
  public Optional<String> holder(String stream, String consumer) {
    return translate("stream lease holder", () -> jdbi.withHandle(h -> h.createQuery(HOLDER)
        .bind("stream", stream).bind("consumer", consumer).mapTo(String.class).findOne()));
  }

  @Override
  public void release(String stream, String consumer, String holder) {
    translate("stream lease release", () -> jdbi.withHandle(h -> h.createUpdate(RELEASE)
        .bind("stream", stream).bind("consumer", consumer).bind("holder", holder).execute()));
  }
}
