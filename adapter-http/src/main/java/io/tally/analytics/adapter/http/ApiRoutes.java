package io.tally.analytics.adapter.http;

import io.tally.analytics.ports.in.AnalyticsEvents;
import io.tally.analytics.ports.in.DownloadExportFile;
import io.tally.analytics.ports.in.Exports;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.in.ManageRoutes;
import io.tally.analytics.ports.in.QueryReliability;
import io.tally.analytics.ports.in.QueryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every use-case route of the API, from the use cases the app has wired: the one call the app needs besides
 * {@link StatusRoutes}.
 *
 * <pre>{@code
 * List<Route> api = new ApiRoutes(ingest, usage, reliability, exports, files, events, routes)
 *     .routes(new JsonBodies(config.maxBodyBytes()), config.maxBatchEvents());
 * }</pre>
 *
 * @param ingest {@code POST /analytics/v1/events}
 * @param usage {@code GET …/usage}
 * @param reliability {@code GET …/reliability}
 * @param exports {@code …/exports…}
 * @param files the embedded object store's signed file links ({@code /analytics/v1/files/…})
 * @param events the AN-01 event store
 * @param routing {@code /routing/routes…}
 */
public record ApiRoutes(IngestUsageBatch ingest, QueryUsage usage, QueryReliability reliability, Exports exports,
    DownloadExportFile files, AnalyticsEvents events, ManageRoutes routing) {

  /** Rejects nulls: every area is served, so an unwired use case is a start-up error, not a 500 later. */
  public ApiRoutes {
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(reliability, "reliability");
    Objects.requireNonNull(exports, "exports");
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(routing, "routing");
  }

  /**
   * @param bodies strict body reader; its limit is the largest request body ({@code MAX_BODY_BYTES})
   * @param maxBatchEvents largest usage batch ({@code MAX_BATCH_EVENTS})
   * @return the route table rows, in API order
   */
  public List<Route> routes(JsonBodies bodies, int maxBatchEvents) {
    List<Route> all = new ArrayList<>();
    all.addAll(new UsageEventRoutes(ingest, bodies, maxBatchEvents).routes());
    all.addAll(new UsageReportRoutes(usage, reliability).routes());
    all.addAll(new ExportRoutes(exports, files, bodies).routes());
    all.addAll(new AnalyticsEventRoutes(events, bodies).routes());
    all.addAll(new RoutingRoutes(routing, bodies).routes());
    return List.copyOf(all);
  }
}
