package io.tally.analytics.core.analyticsevent;

import io.tally.analytics.core.TallyException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an aggregation counts. Parsed from the {@code metric} parameter:
 * {@code events} counts every event; {@code count:<event_type>} counts one event type exactly; any other plural
 * such as {@code pageviews} or {@code clicks} counts the event type without its trailing {@code s}
 * ({@code pageview}, {@code click}), matching the original AN-01 API. Anything else is
 * {@code analytics_aggregate.invalid_metric}.
 *
 * @param name the metric as the caller wrote it (echoed in the response)
 * @param eventType the counted event type; empty for {@code events}
 */
public record AggregationMetric(String name, Optional<String> eventType) {
  /** Error code for an unknown metric. */
  public static final String INVALID_METRIC = "analytics_aggregate.invalid_metric";
  /** The metric counting all events. */
  public static final String ALL_EVENTS = "events";

  private static final Pattern PLURAL = Pattern.compile("[a-z0-9_]{1,64}s");
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** Rejects nulls. */
  public AggregationMetric {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(eventType, "eventType");
  }

  /**
   * @param metric the {@code metric} parameter
   * @return the metric
   * @throws TallyException {@code analytics_aggregate.invalid_metric}
   */
  public static AggregationMetric parse(String metric) {
    if (ALL_EVENTS.equals(metric)) {
      return new AggregationMetric(metric, Optional.empty());
    }
    if (metric != null && metric.startsWith("count:") && TYPE.matcher(metric.substring(6)).matches()) {
      return new AggregationMetric(metric, Optional.of(metric.substring(6)));
    }
    if (metric != null && PLURAL.matcher(metric).matches() && metric.length() > 1) {
      return new AggregationMetric(metric, Optional.of(metric.substring(0, metric.length() - 1)));
    }
    throw new TallyException(TallyException.Kind.INVALID, INVALID_METRIC,
        "metric must be events, a plural event type such as pageviews, or count:<event_type>.");
  }

  /** @return true when this metric counts {@code e} */
  public boolean counts(AnalyticsEvent e) {
    return eventType.map(e.eventType()::equals).orElse(true);
  }
}
