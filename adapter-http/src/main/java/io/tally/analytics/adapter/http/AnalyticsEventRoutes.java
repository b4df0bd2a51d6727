package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import io.tally.analytics.adapter.http.AnalyticsEventJson.AggregateResponse;
import io.tally.analytics.adapter.http.AnalyticsEventJson.IngestRequest;
import io.tally.analytics.adapter.http.AnalyticsEventJson.IngestResponse;
import io.tally.analytics.adapter.http.AnalyticsEventJson.LabDeletionResponse;
import io.tally.analytics.adapter.http.AnalyticsEventJson.QueryResponse;
import io.tally.analytics.adapter.http.AnalyticsEventJson.UserDeletionResponse;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.EventField;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.routing.Mode;
import io.tally.analytics.ports.in.AnalyticsEvents;
import io.tally.analytics.ports.in.RoutedResult;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The AN-01 event store routes ({@code /analytics/ingest|query|aggregate|event}, plus GDPR erasure by user).
 * Every route reads {@code X-Tenant-ID} and {@code X-Mode} first; the use case then authorizes on the tenant and
 * applies route-or-reject. Lab mode without a route answers 200 with a {@code warning} and stores nothing (a
 * 200 rather than a 202: nothing was accepted for later processing, and lab clients must not retry).
 */
final class AnalyticsEventRoutes {
  /** Ingest path. */
  public static final String INGEST = "/analytics/ingest";
  /** Query path. */
  public static final String QUERY = "/analytics/query";
  /** Aggregate path. */
  public static final String AGGREGATE = "/analytics/aggregate";
  /** Delete-one path. */
  public static final String EVENT = "/analytics/event/{event_id}";
  /** GDPR erasure path. */
  public static final String USER = "/analytics/users/{user_id}";

  /** Error code of a delete whose event does not exist (404). */
  public static final String NOT_FOUND = "analytics_event.not_found";

  private final AnalyticsEvents events;
  private final JsonBodies bodies;

  /**
   * @param events the AN-01 use cases
   * @param bodies strict, size-limited body reader
   */
  public AnalyticsEventRoutes(AnalyticsEvents events, JsonBodies bodies) {
    this.events = Objects.requireNonNull(events, "events");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
  }

  /** @return the five AN-01 routes */
  public List<Route> routes() {
    return new RouteTable()
        .actor(POST, INGEST, this::ingest)
        .actor(GET, QUERY, this::query)
        .actor(GET, AGGREGATE, this::aggregate)
        .actor(DELETE, EVENT, this::delete)
        .actor(DELETE, USER, this::deleteUser)
        .routes();
  }

  private void ingest(Context ctx, Actor actor) {
    String tenant = StoreHeaders.tenant(ctx);
    Mode mode = StoreHeaders.mode(ctx);
    IngestRequest body = bodies.read(ctx, IngestRequest.class);
    RoutedResult<String> result = events.ingest(actor, mode, body.toNewEvent(tenant, StoreHeaders.project(ctx)));
    ctx.json(IngestResponse.of(result.value(), result.labWarning()));
  }

  private void query(Context ctx, Actor actor) {
    String tenant = StoreHeaders.tenant(ctx);
    Mode mode = StoreHeaders.mode(ctx);
    int limit = PageSize.parse(ctx.queryParam("limit"), AnalyticsQuery.DEFAULT_LIMIT, AnalyticsQuery.MAX_LIMIT);
    AnalyticsQuery query = new AnalyticsQuery(filter(ctx, tenant), limit, QueryText.optional(ctx, "cursor"));
    RoutedResult<AnalyticsPage> result = events.query(actor, mode, query);
    ctx.json(QueryResponse.from(result.value(), result.labWarning()));
  }

  private void aggregate(Context ctx, Actor actor) {
    String tenant = StoreHeaders.tenant(ctx);
    Mode mode = StoreHeaders.mode(ctx);
    List<String> groupBy = QueryText.optional(ctx, "group_by")
        .map(g -> Arrays.stream(g.split(",", -1)).map(String::trim).toList())
        .orElse(List.of());
    AggregationSpec spec = AggregationSpec.parse(QueryText.required(ctx, "metric"), groupBy,
        QueryText.optional(ctx, "bucket"));
    RoutedResult<AggregationResult> result = events.aggregate(actor, mode, spec, filter(ctx, tenant));
    ctx.json(AggregateResponse.from(result.value(), result.labWarning()));
  }

  private void delete(Context ctx, Actor actor) {
    String tenant = StoreHeaders.tenant(ctx);
    Mode mode = StoreHeaders.mode(ctx);
    String eventId = PathIds.text(ctx, "event_id");
    RoutedResult<Boolean> result = events.delete(actor, mode, tenant, eventId);
    if (result.labWarning().isPresent()) {
      ctx.json(new LabDeletionResponse(false, result.labWarning().get()));
    } else if (result.value()) {
      ctx.status(204);
    } else {
      throw new TallyException(TallyException.Kind.NOT_FOUND, NOT_FOUND,
          "No event " + eventId + " for tenant " + tenant);
    }
  }

  private void deleteUser(Context ctx, Actor actor) {
    String tenant = StoreHeaders.tenant(ctx);
    Mode mode = StoreHeaders.mode(ctx);
    String userId = PathIds.text(ctx, "user_id");
    RoutedResult<Long> result = events.deleteByUser(actor, mode, tenant, userId);
    ctx.json(new UserDeletionResponse(userId, result.value(), result.labWarning().orElse(null)));
  }

  /** Time range ({@code start_time} inclusive, {@code end_time} exclusive) and exact-match field filters. */
  private static EventFilter filter(Context ctx, String tenant) {
    Map<EventField, String> fields = new EnumMap<>(EventField.class);
    for (EventField field : EventField.values()) {
      QueryText.optional(ctx, field.wireName()).ifPresent(v -> fields.put(field, v));
    }
    Optional<Instant> start = QueryText.instant(ctx, "start_time");
    Optional<Instant> end = QueryText.instant(ctx, "end_time");
    return new EventFilter(tenant, start, end, fields);
  }
}
