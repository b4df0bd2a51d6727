package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.AggregationGroup;
import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.Attribution;
import io.tally.analytics.core.analyticsevent.Dimensions;
import io.tally.analytics.core.analyticsevent.EventCursor;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.analyticsevent.EventPayload;
import io.tally.analytics.ports.out.AnalyticsStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The {@code postgres} backend of the AN-01 event store, in {@code analytics.analytics_events}: identity, utm
 * values and dimensions as columns (filterable, indexed with the tenant and time), the payload as jsonb.
 *
 * <p>Queries seek on (tenant, occurred_at, event_id) with the {@link EventCursor} keyset, so a page costs the
 * same at any depth; the page and its {@code total} are read in one repeatable-read transaction so they agree.
 * Aggregations are a SQL {@code GROUP BY} over the spec's fields (absent values as
 * {@link AggregationGroup#NONE}) with an optional UTC {@code date_trunc} bucket, ordered like
 * {@link io.tally.analytics.core.analyticsevent.EventAggregator}.
 *
 * <p>Stored values differ from the ingested event in two documented ways: occurredAt keeps microseconds, and the
 * payload reads back with keys in jsonb's order and numbers as {@code Integer}, {@code Long}, {@code BigInteger}
 * or {@code BigDecimal} (see {@link JsonbCodec}).
 */
public final class PostgresAnalyticsStore implements AnalyticsStore {

  private static final String COLUMNS =
      """
      event_id, tenant_id, project_id, user_id, request_id, run_id, step_id, event_type, occurred_at,
      utm_source, utm_medium, utm_campaign, utm_content, utm_term, app, surface, platform, session_id, payload""";

  private static final String INSERT =
      """
      INSERT INTO analytics.analytics_events (%s)
      VALUES (:eventId, :tenantId, :projectId, :userId, :requestId, :runId, :stepId, :eventType, :occurredAt,
              :utmSource, :utmMedium, :utmCampaign, :utmContent, :utmTerm, :app, :surface, :platform, :sessionId,
              CAST(:payload AS jsonb))
      ON CONFLICT (tenant_id, event_id) DO NOTHING
      """.formatted(COLUMNS);

  private static final String PAGE =
      "SELECT " + COLUMNS + " FROM analytics.analytics_events WHERE %s ORDER BY occurred_at, event_id LIMIT :limit";

  private static final String COUNT = "SELECT count(*) FROM analytics.analytics_events WHERE %s";

  private static final String AGGREGATE =
      "SELECT %s, count(*) AS n FROM analytics.analytics_events WHERE %s GROUP BY %s HAVING count(*) > 0 ORDER BY %s";

  private static final String DELETE =
      "DELETE FROM analytics.analytics_events WHERE tenant_id = :tenantId AND event_id = :eventId";

  private static final String DELETE_BY_USER =
      "DELETE FROM analytics.analytics_events WHERE tenant_id = :tenantId AND user_id = :userId";

  // jsonb has no \u0000; PostgreSQL reports it as an unsupported Unicode escape.
  private static final String UNTRANSLATABLE_CHARACTER = "22P05";
  private static final String UNSUPPORTED_UNICODE_ESCAPE = "22P02";

  private final Jdbi jdbi;

  /** @param jdbi connected to a database migrated by {@link PostgresMigrator} */
  public PostgresAnalyticsStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public boolean ingest(AnalyticsEvent event) {
    try {
      return translate("analytics ingest", () -> jdbi.withHandle(h -> h.createUpdate(INSERT)
          .bind("eventId", event.eventId())
          .bind("tenantId", event.tenantId())
          .bind("projectId", event.projectId())
          .bind("userId", event.userId().orElse(null))
          .bind("requestId", event.requestId().orElse(null))
          .bind("runId", event.runId().orElse(null))
          .bind("stepId", event.stepId().orElse(null))
          .bind("eventType", event.eventType())
          .bind("occurredAt", UtcTimestamps.bindable(event.occurredAt()))
          .bind("utmSource", event.attribution().utmSource().orElse(null))
          .bind("utmMedium", event.attribution().utmMedium().orElse(null))
          .bind("utmCampaign", event.attribution().utmCampaign().orElse(null))
          .bind("utmContent", event.attribution().utmContent().orElse(null))
          .bind("utmTerm", event.attribution().utmTerm().orElse(null))
          .bind("app", event.dimensions().app().orElse(null))
          .bind("surface", event.dimensions().surface().orElse(null))
          .bind("platform", event.dimensions().platform().orElse(null))
          .bind("sessionId", event.dimensions().sessionId().orElse(null))
          .bind("payload", JsonbCodec.write(event.payload()))
          .execute() == 1));
    } catch (PostgresAdapterException e) {
      if (isTextPostgresCannotStore(e)) {
        throw new TallyException(TallyException.Kind.INVALID, EventPayload.INVALID,
            "payload: text PostgreSQL cannot store (NUL character).", e);
      }
      throw e;
    }
  }

  @Override
  public AnalyticsPage query(AnalyticsQuery query) {
    EventFilterSql filter = EventFilterSql.of(query.filter());
    Optional<EventCursor> after = query.cursor().map(EventCursor::decode);
    EventFilterSql page = after.map(c -> filter.after(c.occurredAt(), c.eventId())).orElse(filter);
    return translate("analytics query", () -> jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
      List<AnalyticsEvent> rows = h.createQuery(PAGE.formatted(page.sql()))
          .bindMap(page.binds())
          .bind("limit", query.limit() + 1)
          .map(PostgresAnalyticsStore::event)
          .list();
      long total = h.createQuery(COUNT.formatted(filter.sql())).bindMap(filter.binds()).mapTo(Long.class).one();
      boolean more = rows.size() > query.limit();
      List<AnalyticsEvent> records = more ? rows.subList(0, query.limit()) : rows;
      Optional<String> next = more
          ? Optional.of(EventCursor.after(records.get(records.size() - 1)).encode()) : Optional.empty();
      return new AnalyticsPage(records, total, query.limit(), next);
    }));
  }

  @Override
  public AggregationResult aggregate(AggregationSpec spec, EventFilter filter) {
    EventFilterSql base = EventFilterSql.of(filter);
    EventFilterSql where = spec.metric().eventType().map(base::ofType).orElse(base);
    List<String> selected = new ArrayList<>();
    spec.bucket().ifPresent(b -> selected.add("date_trunc('" + b.wireName() + "', occurred_at, 'UTC') AS bucket"));
    for (int i = 0; i < spec.groupBy().size(); i++) {
      selected.add("coalesce(" + EventFilterSql.column(spec.groupBy().get(i)) + ", '" + AggregationGroup.NONE
          + "') COLLATE \"C\" AS g" + i);
    }
    if (selected.isEmpty()) {
      return aggregateTotal(spec, where);
    }
    String positions = positions(selected.size());
    String sql = AGGREGATE.formatted(String.join(", ", selected), where.sql(), positions, positions);
    List<AggregationGroup> groups = translate("analytics aggregate", () -> jdbi.withHandle(h ->
        h.createQuery(sql).bindMap(where.binds()).map((rs, ctx) -> group(spec, rs)).list()));
    return new AggregationResult(spec.metric().name(), groups.stream().mapToLong(AggregationGroup::count).sum(),
        groups);
  }

  @Override
  public boolean delete(String tenantId, String eventId) {
    return translate("analytics delete", () -> jdbi.withHandle(h -> h.createUpdate(DELETE)
        .bind("tenantId", tenantId)
        .bind("eventId", eventId)
        .execute() > 0));
  }

  @Override
  public long deleteByUser(String tenantId, String userId) {
    return translate("analytics delete by user", () -> jdbi.withHandle(h -> (long) h.createUpdate(DELETE_BY_USER)
        .bind("tenantId", tenantId)
        .bind("userId", userId)
        .execute()));
  }

  private AggregationResult aggregateTotal(AggregationSpec spec, EventFilterSql where) {
    long n = translate("analytics aggregate", () -> jdbi.withHandle(h ->
        h.createQuery(COUNT.formatted(where.sql())).bindMap(where.binds()).mapTo(Long.class).one()));
    return n == 0 ? AggregationResult.empty(spec.metric().name())
        : new AggregationResult(spec.metric().name(), n, List.of(new AggregationGroup(Map.of(), Optional.empty(), n)));
  }

  private static boolean isTextPostgresCannotStore(PostgresAdapterException e) {
    return e.getCause() instanceof UnableToExecuteStatementException u && u.getCause() instanceof SQLException s
        && (UNTRANSLATABLE_CHARACTER.equals(s.getSQLState()) || UNSUPPORTED_UNICODE_ESCAPE.equals(s.getSQLState()));
  }

  private static String positions(int n) {
    StringBuilder s = new StringBuilder("1");
    for (int i = 2; i <= n; i++) {
      s.append(", ").append(i);
    }
    return s.toString();
  }

  private static AggregationGroup group(AggregationSpec spec, ResultSet rs) throws SQLException {
    Map<String, String> key = new LinkedHashMap<>();
    for (int i = 0; i < spec.groupBy().size(); i++) {
      key.put(spec.groupBy().get(i).wireName(), rs.getString("g" + i));
    }
    return new AggregationGroup(key, spec.bucket().isPresent()
        ? Optional.of(UtcTimestamps.read(rs, "bucket")) : Optional.empty(), rs.getLong("n"));
  }

  private static AnalyticsEvent event(ResultSet rs, StatementContext ctx) throws SQLException {
    Attribution attribution = new Attribution(text(rs, "utm_source"), text(rs, "utm_medium"),
        text(rs, "utm_campaign"), text(rs, "utm_content"), text(rs, "utm_term"));
    Dimensions dimensions = new Dimensions(text(rs, "app"), text(rs, "surface"), text(rs, "platform"),
        text(rs, "session_id"));
    return new AnalyticsEvent(rs.getString("event_id"), rs.getString("tenant_id"), rs.getString("project_id"),
        text(rs, "user_id"), text(rs, "request_id"), text(rs, "run_id"), text(rs, "step_id"),
        rs.getString("event_type"), UtcTimestamps.read(rs, "occurred_at"), attribution, dimensions,
        JsonbCodec.readObject(rs.getString("payload")));
  }

  private static Optional<String> text(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }
}
