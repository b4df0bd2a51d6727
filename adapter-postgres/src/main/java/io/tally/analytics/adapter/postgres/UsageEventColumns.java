package io.tally.analytics.adapter.postgres;

import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventFingerprint;
import io.tally.analytics.core.usage.UsageStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The mapping between the domain event and the columns of {@code usage_events} (and of
 * {@code usage_event_conflicts}, which has the same event columns): optional fields are SQL NULLs, and so is the
 * cost of an event that did not carry one (the rollup prices it from the book).
 */
final class UsageEventColumns {
  /** The event columns, in the order {@link #event} reads them. */
  static final String SELECT_LIST =
      "org_id, event_id, occurred_at, model_id, actor_id, api_key_id, input_tokens, output_tokens, cost_micros,"
          + " latency_ms, status, error_code, region, fingerprint";

  private UsageEventColumns() {}

  static UsageEventRow row(FingerprintedEvent f) {
    UsageEvent e = f.event();
    return new UsageEventRow(e.orgId(), e.eventId(), e.occurredAt(), e.modelId(), e.actorId().orElse(null),
        e.apiKeyId().orElse(null), e.inputTokens(), e.outputTokens(), e.costMicros().orElse(null), e.latencyMs(),
        e.status().wireName(), e.errorCode().orElse(null), e.region().orElse(null), f.fingerprint().hex());
  }

  static UsageEvent event(ResultSet rs) throws SQLException {
    String status = rs.getString("status");
    return new UsageEvent(rs.getString("event_id"), rs.getObject("org_id", UUID.class),
        UtcTimestamps.read(rs, "occurred_at"), rs.getString("model_id"),
        Optional.ofNullable(rs.getString("actor_id")), Optional.ofNullable(rs.getString("api_key_id")),
        rs.getLong("input_tokens"), rs.getLong("output_tokens"), Optional.ofNullable(rs.getObject("cost_micros", Long.class)),
        rs.getLong("latency_ms"),
        UsageStatus.fromWireName(status).orElseThrow(() -> new IllegalStateException("stored status " + status)),
        Optional.ofNullable(rs.getString("error_code")), Optional.ofNullable(rs.getString("region")));
  }

  static FingerprintedEvent fingerprinted(ResultSet rs) throws SQLException {
    return new FingerprintedEvent(event(rs), new UsageEventFingerprint(rs.getString("fingerprint")));
  }
}
