package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.tally.analytics.adapter.http.UsageJson.ReliabilityView;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.UsageEventRules;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.in.QueryReliability.PercentileMethod;
import io.tally.analytics.ports.in.QueryReliability.ReliabilityQuery;
import io.tally.analytics.ports.in.QueryUsage;
import io.tally.analytics.ports.in.QueryUsage.UsageQuery;
import io.tally.analytics.ports.in.TimeWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /analytics/v1/orgs/{orgId}/usage} and {@code …/reliability} (DESIGN.md §6): {@code start}
 * inclusive, {@code end} exclusive (RFC 3339), {@code granularity=hourly|daily} (default daily), optional
 * {@code modelId} and {@code groupBy=model|none}; reliability adds {@code percentiles} (default 50,95,99) and
 * {@code percentileMethod=sketch|exact}. Every parameter is checked here, so a bad one is a 400 with its own code
 * before the use case authorizes and reads.
 */
final class UsageReportRoutes {
  /** Usage path. */
  public static final String USAGE = "/analytics/v1/orgs/{orgId}/usage";
  /** Reliability path. */
  public static final String RELIABILITY = "/analytics/v1/orgs/{orgId}/reliability";
  /** Percentiles when the caller names none. */
  public static final List<Double> DEFAULT_PERCENTILES = List.of(50.0, 95.0, 99.0);

  // The use cases' own limits (Granularity.maxRange), so the adapter refuses exactly what they would.
  private static final Map<Granularity, Duration> MAX_SPAN = Map.of(
      Granularity.HOURLY, Granularity.HOURLY.maxRange(),
      Granularity.DAILY, Granularity.DAILY.maxRange());

  private final QueryUsage usage;
  private final QueryReliability reliability;
  private final UsageBodies usageBodies = new UsageBodies(JsonBodies.strictMapper());

  /**
   * @param usage the usage use case
   * @param reliability the reliability use case
   */
  public UsageReportRoutes(QueryUsage usage, QueryReliability reliability) {
    this.usage = Objects.requireNonNull(usage, "usage");
    this.reliability = Objects.requireNonNull(reliability, "reliability");
  }

  /** @return the two read routes */
  public List<Route> routes() {
    return new RouteTable()
        .actor(GET, USAGE, this::usage)
        .actor(GET, RELIABILITY, this::reliability)
        .routes();
  }

  private void usage(Context ctx, Actor actor) {
    UUID orgId = PathIds.uuid(ctx, "orgId");
    TimeRangeQuery range = range(ctx);
    // The same bytes ctx.json would write, with a reused answer's series serialized once (UsageBodies).
    ctx.contentType(ContentType.APPLICATION_JSON).result(usageBodies.body(usage.query(new UsageQuery(actor, orgId,
        range.granularity(), window(range), modelId(ctx), groupBy(ctx)))));
  }

  private void reliability(Context ctx, Actor actor) {
    UUID orgId = PathIds.uuid(ctx, "orgId");
    TimeRangeQuery range = range(ctx);
    ctx.json(ReliabilityView.from(reliability.query(new ReliabilityQuery(actor, orgId, range.granularity(),
        window(range), modelId(ctx), groupBy(ctx), percentiles(ctx), method(ctx)))));
  }

  private static TimeRangeQuery range(Context ctx) {
    return TimeRangeQuery.parse(ctx.queryParam("start"), ctx.queryParam("end"),
        QueryText.optional(ctx, "granularity"), Granularity.DAILY, MAX_SPAN);
  }

  private static TimeWindow window(TimeRangeQuery range) {
    return new TimeWindow(range.start(), range.end());
  }

  private static Optional<String> modelId(Context ctx) {
    Optional<String> model = QueryText.optional(ctx, "modelId");
    if (model.isPresent() && !UsageEventRules.isValidModelId(model.get())) {
      throw new RequestRejectedException("request.invalid_model_id", "modelId is not a valid model id");
    }
    return model;
  }

  private static GroupBy groupBy(Context ctx) {
    return QueryText.optional(ctx, "groupBy")
        .map(g -> GroupBy.fromWireName(g.toLowerCase(Locale.ROOT)).orElseThrow(() ->
            new RequestRejectedException("request.invalid_group_by", "groupBy must be model or none")))
        .orElse(GroupBy.MODEL);
  }

  private static PercentileMethod method(Context ctx) {
    String method = QueryText.optional(ctx, "percentileMethod").orElse("sketch").toLowerCase(Locale.ROOT);
    for (PercentileMethod m : PercentileMethod.values()) {
      if (m.wireName().equals(method)) {
        return m;
      }
    }
    throw new RequestRejectedException("request.invalid_percentile_method", "percentileMethod must be sketch or exact");
  }

  private static List<Double> percentiles(Context ctx) {
    Optional<String> raw = QueryText.optional(ctx, "percentiles");
    if (raw.isEmpty()) {
      return DEFAULT_PERCENTILES;
    }
    List<Double> values = new ArrayList<>();
    for (String part : raw.get().split(",", -1)) {
      double p;
      try {
        p = Double.parseDouble(part.trim());
      } catch (NumberFormatException e) {
        p = Double.NaN;
      }
      if (!(p > 0 && p <= 100) || values.size() == 10) {
        throw new RequestRejectedException("request.invalid_percentiles",
            "percentiles must be 1 to 10 numbers in (0, 100], e.g. 50,95,99");
      }
      values.add(p);
    }
    return values;
  }
}
