package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.adapter.http.UsageJson.ErrorView;
import io.tally.analytics.adapter.http.UsageJson.IngestView;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestReport;
import io.tally.analytics.ports.out.IngestSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /analytics/v1/events}: a batch {@code {"events": [...]}} of usage events (DESIGN appendix), up to a
 * configured number of events and bytes. Partial success is explicit: the answer is 200 with one result per
 * element (accepted, duplicate, conflict, rejected with error codes), never all-or-nothing by accident.
 *
 * <p>Each element is handed to the core as text ({@link UsageEventCandidate}): numbers as their literal, other
 * JSON values as their JSON text, so the core validator (the same one the stream uses) reports every problem of
 * an event at once. An element that is not a JSON object is rejected on its own with {@code event.not_an_object};
 * it still goes through the use case as an empty candidate, so it lands in the dead-letter store with its raw
 * text like any other invalid event.
 */
public final class UsageEventRoutes {
  /** Batch path. */
  public static final String EVENTS = "/analytics/v1/events";
  /** Error code of an element that is not an object. */
  public static final String NOT_AN_OBJECT = "event.not_an_object";
  /** Error code of a batch above the configured number of events (413). */
  public static final String TOO_MANY_EVENTS = "request.too_many_events";

  private static final List<String> FIELDS = List.of("eventId", "orgId", "occurredAt", "modelId", "actorId",
      "apiKeyId", "inputTokens", "outputTokens", "costMicros", "latencyMs", "status", "errorCode", "region");

  private final IngestUsageBatch ingest;
  private final JsonBodies bodies;
  private final int maxEvents;

  /**
   * @param ingest the ingest use case
   * @param bodies strict body reader whose limit is the largest batch in bytes
   * @param maxEvents largest batch in events ({@code MAX_BATCH_EVENTS}), 1..{@link IngestUsageBatch#MAX_EVENTS}
   */
  public UsageEventRoutes(IngestUsageBatch ingest, JsonBodies bodies, int maxEvents) {
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    if (maxEvents < 1 || maxEvents > IngestUsageBatch.MAX_EVENTS) {
      throw new IllegalArgumentException("maxEvents must be 1.." + IngestUsageBatch.MAX_EVENTS);
    }
    this.maxEvents = maxEvents;
  }

  /** @return the batch route */
  public List<Route> routes() {
    return new RouteTable().actor(POST, EVENTS, this::ingest).routes();
  }

  private void ingest(Context ctx, Actor actor) {
    JsonNode events = eventsOf(bodies.read(ctx, JsonNode.class));
    List<UsageEventCandidate> candidates = new ArrayList<>(events.size());
    Map<Integer, ErrorView> notObjects = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode element = events.get(i);
      if (!element.isObject()) {
        notObjects.put(i, new ErrorView(NOT_AN_OBJECT, "events[" + i + "]",
            "each event must be a JSON object, got " + element.getNodeType().name().toLowerCase(Locale.ROOT)));
      }
      candidates.add(candidate(element));
    }
    String requestId = ctx.attribute(RequestIds.KEY);
    IngestReport report = ingest.ingest(new IngestCommand(actor, UUID.randomUUID().toString(),
        IngestSource.http(requestId == null ? "-" : requestId), candidates));
    ctx.json(IngestView.from(report, notObjects));
  }

  private JsonNode eventsOf(JsonNode body) {
    if (!body.isObject() || !body.has("events")) {
      throw new RequestRejectedException("request.missing_field", "body must be {\"events\": [ ... ]}");
    }
    JsonNode events = body.get("events");
    if (!events.isArray()) {
      throw new RequestRejectedException(TallyException.Kind.INVALID, "request.invalid_type", "events must be a JSON array");
    }
    if (events.isEmpty()) {
      throw new RequestRejectedException("request.empty_batch", "events must hold at least one event");
    }
    if (events.size() > maxEvents) {
      throw new RequestRejectedException(TallyException.Kind.TOO_LARGE, TOO_MANY_EVENTS,
          "a batch may hold at most " + maxEvents + " events (got " + events.size() + ")");
    }
    return events;
  }

  private static UsageEventCandidate candidate(JsonNode element) {
    Map<String, String> fields = new HashMap<>();
    if (element.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = element.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
          fields.put(field.getKey(), asText(field.getValue()));
        }
      }
    }
    return UsageEventCandidate.fromWireFields(fields, Optional.of(element.toString()));
  }

  /** Strings as they are; numbers as written (812, 8.5, 1e3); anything else as its JSON text. */
  private static String asText(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNumber()) {
      return value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.asText();
    }
    return value.toString();
  }
}
