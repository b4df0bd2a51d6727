package io.tally.analytics.adapter.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Instants in and out of {@code timestamptz}. PostgreSQL keeps microseconds; the policy stores truncate before
 * writing (instead of letting the driver round) so that what they hand back equals what a later read returns.
 */
final class UtcTimestamps {
  private UtcTimestamps() {}

  /** @return {@code t} truncated to the microsecond a {@code timestamptz} can hold */
  static Instant storable(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  /** @return the bind value for {@code t}, at UTC so no session time zone takes part */
  static OffsetDateTime bindable(Instant t) {
    return storable(t).atOffset(ZoneOffset.UTC);
  }

  /** @return the bind value, or null for SQL NULL */
  static OffsetDateTime bindable(Optional<Instant> t) {
    return t.map(UtcTimestamps::bindable).orElse(null);
  }

  static Instant read(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  static Optional<Instant> readOptional(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
  }
}
