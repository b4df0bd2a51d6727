package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventFingerprint;
import io.tally.analytics.core.usage.UsageStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The mapping between the domain event and the columns of {@code usage_events} (and of
 * {@code usage_event_conflicts}, which has the same event columns): optional fields are SQL NULLs, and so is the
 * cost of an event that did not carry one (the rollup prices it from the book).
 */
final class UsageEventColumns {
  /** The event columns, in the order {@link #event} reads them. */
  /** What {@link #event} reads. */
  static final String EVENT_LIST =
      "org_id, event_id, occurred_at, model_id, actor_id, api_key_id, input_tokens, output_tokens, cost_micros,"
          + " latency_ms, status, error_code, region";

  /** What {@link #fingerprinted} reads. */
  static final String SELECT_LIST = EVENT_LIST + ", fingerprint";

  private UsageEventColumns() {}

  static UsageEventRow row(FingerprintedEvent f) {
    UsageEvent e = f.event();
    return new UsageEventRow(e.orgId(), e.eventId(), e.occurredAt(), e.modelId(), e.actorId().orElse(null),
        e.apiKeyId().orElse(null), e.inputTokens(), e.outputTokens(), e.costMicros().orElse(null), e.latencyMs(),
        e.status().wireName(), e.errorCode().orElse(null), e.region().orElse(null), f.fingerprint().hex());
  }

  /** @return the domain event a row was made from ({@link #row}) */
  static UsageEvent event(UsageEventRow r) {
    return new UsageEvent(r.eventId(), r.orgId(), r.occurredAt(), r.modelId(), Optional.ofNullable(r.actorId()),
        Optional.ofNullable(r.apiKeyId()), r.inputTokens(), r.outputTokens(), Optional.ofNullable(r.costMicros()),
        r.latencyMs(), UsageStatus.fromWireName(r.status())
            .orElseThrow(() -> new IllegalStateException("row status " + r.status())),
        Optional.ofNullable(r.errorCode()), Optional.ofNullable(r.region()));
  }

  static UsageEvent event(ResultSet rs) throws SQLException {
    return event(rs, Positions.of(rs));
  }

  /**
   * @return a mapper that looks the columns up once per query rather than once per cell (by name, each cell cost a
   *     hash lookup: a tenth of a million-row scan's decoding time)
   */
  static RowMapper<UsageEvent> eventMapper() {
    return new RowMapper<>() {
      private Positions positions;

      @Override
      public UsageEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
        if (positions == null) {
          positions = Positions.of(rs);
        }
        return event(rs, positions);
      }
    };
  }

  private static UsageEvent event(ResultSet rs, Positions p) throws SQLException {
    String status = rs.getString(p.status);
    return new UsageEvent(rs.getString(p.eventId), rs.getObject(p.orgId, UUID.class),
        rs.getObject(p.occurredAt, OffsetDateTime.class).toInstant(), rs.getString(p.modelId),
        Optional.ofNullable(rs.getString(p.actorId)), Optional.ofNullable(rs.getString(p.apiKeyId)),
        rs.getLong(p.inputTokens), rs.getLong(p.outputTokens), Optional.ofNullable(rs.getObject(p.costMicros, Long.class)),
        rs.getLong(p.latencyMs),
        UsageStatus.fromWireName(status).orElseThrow(() -> new IllegalStateException("stored status " + status)),
        Optional.ofNullable(rs.getString(p.errorCode)), Optional.ofNullable(rs.getString(p.region)));
  }

  /** Where each column of {@link #EVENT_LIST} is in a result set. */
  private record Positions(int orgId, int eventId, int occurredAt, int modelId, int actorId, int apiKeyId,
      int inputTokens, int outputTokens, int costMicros, int latencyMs, int status, int errorCode, int region) {
    static Positions of(ResultSet rs) throws SQLException {
      return new Positions(rs.findColumn("org_id"), rs.findColumn("event_id"), rs.findColumn("occurred_at"),
          rs.findColumn("model_id"), rs.findColumn("actor_id"), rs.findColumn("api_key_id"),
          rs.findColumn("input_tokens"), rs.findColumn("output_tokens"), rs.findColumn("cost_micros"),
          rs.findColumn("latency_ms"), rs.findColumn("status"), rs.findColumn("error_code"),
          rs.findColumn("region"));
    }
  }

  static FingerprintedEvent fingerprinted(ResultSet rs) throws SQLException {
    return new FingerprintedEvent(event(rs), new UsageEventFingerprint(rs.getString("fingerprint")));
  }
}
