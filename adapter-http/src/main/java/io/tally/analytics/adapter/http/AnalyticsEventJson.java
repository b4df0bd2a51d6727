package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tally.analytics.core.analyticsevent.AggregationGroup;
import io.tally.analytics.core.analyticsevent.AggregationResult;
import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import io.tally.analytics.core.analyticsevent.AnalyticsPage;
import io.tally.analytics.core.analyticsevent.Attribution;
import io.tally.analytics.core.analyticsevent.Dimensions;
import io.tally.analytics.ports.in.AnalyticsEvents.NewEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The AN-01 wire format (snake_case, as the original service spoke it) and its explicit mapping to and from the
 * core types. Response records always carry every field (absent values are {@code null}) so clients see one
 * stable shape; only {@code warning} is left out unless lab mode produced one.
 */
final class AnalyticsEventJson {
  /** Key of the single group of an aggregation without group_by and bucket. */
  static final String ALL = "all";

  private AnalyticsEventJson() {}

  /** Body of {@code POST /analytics/ingest}. */
  record IngestRequest(
      @JsonProperty("event_id") String eventId,
      @JsonProperty("tenant_id") String tenantId,
      @JsonProperty("project_id") String projectId,
      @JsonProperty("user_id") String userId,
      @JsonProperty("request_id") String requestId,
      @JsonProperty("run_id") String runId,
      @JsonProperty("step_id") String stepId,
      @JsonProperty("event_type") String eventType,
      @JsonProperty("occurred_at") @JsonAlias("timestamp") String occurredAt,
      @JsonProperty("utm_source") String utmSource,
      @JsonProperty("utm_medium") String utmMedium,
      @JsonProperty("utm_campaign") String utmCampaign,
      @JsonProperty("utm_content") String utmContent,
      @JsonProperty("utm_term") String utmTerm,
      @JsonProperty("app") String app,
      @JsonProperty("surface") String surface,
      @JsonProperty("platform") String platform,
      @JsonProperty("session_id") String sessionId,
      @JsonProperty("payload") Map<String, Object> payload) {

    /**
     * @param tenant from {@code X-Tenant-ID}; a body {@code tenant_id} must agree with it
     * @param headerProject from {@code X-Project-ID}; wins over the body's {@code project_id}
     */
    NewEvent toNewEvent(String tenant, Optional<String> headerProject) {
      if (tenantId != null && !tenantId.equals(tenant)) {
        throw new RequestRejectedException("request.tenant_mismatch",
            "tenant_id in the body differs from the " + StoreHeaders.TENANT + " header");
      }
      String project = headerProject.or(() -> Optional.ofNullable(projectId)).orElseThrow(() ->
          new RequestRejectedException("request.missing_project",
              StoreHeaders.PROJECT + " header (or project_id in the body) is required"));
      Optional<Instant> at = Optional.ofNullable(occurredAt).map(t -> QueryText.parseInstant("occurred_at", t));
      return new NewEvent(Optional.ofNullable(eventId), tenant, project, Optional.ofNullable(userId),
          Optional.ofNullable(requestId), Optional.ofNullable(runId), Optional.ofNullable(stepId), eventType, at,
          new Attribution(Optional.ofNullable(utmSource), Optional.ofNullable(utmMedium),
              Optional.ofNullable(utmCampaign), Optional.ofNullable(utmContent), Optional.ofNullable(utmTerm)),
          new Dimensions(Optional.ofNullable(app), Optional.ofNullable(surface), Optional.ofNullable(platform),
              Optional.ofNullable(sessionId)),
          payload == null ? Map.of() : payload);
    }
  }

  /** Answer of {@code POST /analytics/ingest}; lab mode adds {@code stored: false} and the warning. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record IngestResponse(@JsonProperty("event_id") String eventId, @JsonProperty("stored") Boolean stored,
      @JsonProperty("warning") String warning) {
    static IngestResponse of(String eventId, Optional<String> labWarning) {
      return new IngestResponse(eventId, labWarning.isPresent() ? Boolean.FALSE : null, labWarning.orElse(null));
    }
  }

  /** One event as {@code GET /analytics/query} returns it. */
  record EventRecord(
      @JsonProperty("event_id") String eventId,
      @JsonProperty("tenant_id") String tenantId,
      @JsonProperty("project_id") String projectId,
      @JsonProperty("user_id") String userId,
      @JsonProperty("request_id") String requestId,
      @JsonProperty("run_id") String runId,
      @JsonProperty("step_id") String stepId,
      @JsonProperty("event_type") String eventType,
      @JsonProperty("occurred_at") Instant occurredAt,
      @JsonProperty("utm_source") String utmSource,
      @JsonProperty("utm_medium") String utmMedium,
      @JsonProperty("utm_campaign") String utmCampaign,
      @JsonProperty("utm_content") String utmContent,
      @JsonProperty("utm_term") String utmTerm,
      @JsonProperty("app") String app,
      @JsonProperty("surface") String surface,
      @JsonProperty("platform") String platform,
      @JsonProperty("session_id") String sessionId,
      @JsonProperty("payload") Map<String, Object> payload) {

    static EventRecord from(AnalyticsEvent e) {
      Attribution a = e.attribution();
      Dimensions d = e.dimensions();
      return new EventRecord(e.eventId(), e.tenantId(), e.projectId(), e.userId().orElse(null),
          e.requestId().orElse(null), e.runId().orElse(null), e.stepId().orElse(null), e.eventType(),
          e.occurredAt(), a.utmSource().orElse(null), a.utmMedium().orElse(null), a.utmCampaign().orElse(null),
          a.utmContent().orElse(null), a.utmTerm().orElse(null), d.app().orElse(null), d.surface().orElse(null),
          d.platform().orElse(null), d.sessionId().orElse(null), e.payload());
    }
  }

  /** Answer of {@code GET /analytics/query}. */
  record QueryResponse(
      @JsonProperty("records") List<EventRecord> records,
      @JsonProperty("total") long total,
      @JsonProperty("limit") int limit,
      @JsonProperty("next_cursor") String nextCursor,
      @JsonProperty("warning") @JsonInclude(JsonInclude.Include.NON_NULL) String warning) {

    static QueryResponse from(AnalyticsPage page, Optional<String> labWarning) {
      return new QueryResponse(page.records().stream().map(EventRecord::from).toList(), page.total(), page.limit(),
          page.nextCursor().orElse(null), labWarning.orElse(null));
    }
  }

  /** One aggregation group in list form: unambiguous even when values contain {@code |} or {@code =}. */
  record GroupRow(
      @JsonProperty("key") Map<String, String> key,
      @JsonProperty("bucket_start") Instant bucketStart,
      @JsonProperty("count") long count) {}

  /**
   * Answer of {@code GET /analytics/aggregate}. {@code groups} maps a readable key to the count:
   * {@code "utm_source=google|surface=homepage"}, prefixed by {@code "bucket=<ISO instant>|"} when bucketed,
   * {@code "all"} when there is neither group_by nor bucket. {@code rows} holds the same groups as a list.
   */
  record AggregateResponse(
      @JsonProperty("metric") String metric,
      @JsonProperty("total") long total,
      @JsonProperty("groups") Map<String, Long> groups,
      @JsonProperty("rows") List<GroupRow> rows,
      @JsonProperty("warning") @JsonInclude(JsonInclude.Include.NON_NULL) String warning) {

    static AggregateResponse from(AggregationResult result, Optional<String> labWarning) {
      Map<String, Long> groups = new LinkedHashMap<>();
      result.groups().forEach(g -> groups.merge(keyOf(g), g.count(), Long::sum));
      List<GroupRow> rows = result.groups().stream()
          .map(g -> new GroupRow(g.key(), g.bucketStart().orElse(null), g.count())).toList();
      return new AggregateResponse(result.metric(), result.total(), groups, rows, labWarning.orElse(null));
    }

    static String keyOf(AggregationGroup group) {
      StringJoiner key = new StringJoiner("|");
      group.bucketStart().ifPresent(b -> key.add("bucket=" + b));
      group.key().forEach((field, value) -> key.add(field + "=" + value));
      return key.length() == 0 ? ALL : key.toString();
    }
  }

  /** Answer of {@code DELETE /analytics/users/{user_id}} (GDPR erasure). */
  record UserDeletionResponse(
      @JsonProperty("user_id") String userId,
      @JsonProperty("deleted") long deleted,
      @JsonProperty("warning") @JsonInclude(JsonInclude.Include.NON_NULL) String warning) {}

  /** Answer of {@code DELETE /analytics/event/{event_id}} in lab mode, where 204 could not carry the warning. */
  record LabDeletionResponse(@JsonProperty("deleted") boolean deleted, @JsonProperty("warning") String warning) {}
}
