package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tally.analytics.adapter.http.UsageJson.ErrorView;
import io.tally.analytics.adapter.http.UsageJson.IngestView;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.core.usage.UsageEventWireFormat;
import io.tally.analytics.core.usage.Violation;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestReport;
import io.tally.analytics.ports.in.IngestUsageBatch;
import io.tally.analytics.ports.out.TimeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /analytics/v1/events}: a batch {@code {"events": [...]}} of usage events (DESIGN appendix), up to a
 * configured number of events and bytes. Partial success is explicit: the answer is 200 with one result per
 * element (accepted, duplicate, conflict, rejected with error codes), never all-or-nothing by accident.
 *
 * <p>Each element is read by the core's {@link UsageEventWireFormat} (the reader the stream uses too), then
 * validated by the use case, which reports every problem of an event at once. An element the reader refuses
 * (not an object: {@code event.not_an_object}; an object or array in an event field: {@code event.nested_value})
 * is rejected on its own and dead-lettered with its raw text in the batch's append, as the stream does.
 */
final class UsageEventRoutes {
  /** Batch path. */
  public static final String EVENTS = "/analytics/v1/events";
  /** Error code of a batch above the configured number of events (413). */
  public static final String TOO_MANY_EVENTS = "request.too_many_events";

  private final IngestUsageBatch ingest;
  private final JsonBodies bodies;
  private final int maxEvents;
  private final TimeSource clock;

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
    // When this adapter received a refused element; the use case stamps the letters it makes with its own clock.
    this.clock = Instant::now;
  }

  /** @return the batch route */
  public List<Route> routes() {
    return new RouteTable().actor(POST, EVENTS, this::ingest).routes();
  }

  private void ingest(Context ctx, Actor actor) {
    JsonNode events = eventsOf(bodies.readExactTree(ctx));
    String requestId = Optional.ofNullable(ctx.<String>attribute(RequestIds.KEY)).orElse("-");
    String batchId = UUID.randomUUID().toString();
    IngestSource source = IngestSource.http(requestId);
    List<UsageEventCandidate> candidates = new ArrayList<>(events.size());
    List<Integer> elementOf = new ArrayList<>(events.size());
    Map<Integer, ErrorView> refused = new HashMap<>();
    List<DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      JsonNode element = events.get(i);
      UsageEventWireFormat.Read read = UsageEventJson.read(element);
      if (read instanceof UsageEventWireFormat.Parsed parsed) {
        candidates.add(parsed.candidate());
        elementOf.add(i);
      } else {
        Violation why = ((UsageEventWireFormat.Refused) read).violation();
        Violation located = "event".equals(why.field()) ? new Violation(why.errorCode(), "events[" + i + "]",
            why.message()) : why;
        refused.put(i, ErrorView.from(located));
        letters.add(new DeadLetter(batchId, source, element.toString(), List.of(located), clock.now()));
      }
    }
    IngestReport report = ingest.ingest(new IngestCommand(actor, batchId, source, candidates, List.of(), letters));
    ctx.json(IngestView.from(report, elementOf, refused));
  }

  private JsonNode eventsOf(JsonNode body) {
    if (!body.isObject() || !body.has("events")) {
      throw new RequestRejectedException("request.missing_field", "body must be {\"events\": [ ... ]}");
    }
    JsonNode events = body.get("events");
    if (!events.isArray()) {
      throw new RequestRejectedException(TallyException.Kind.INVALID, "request.invalid_type",
          "events must be a JSON array");
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
}
