package io.tally.analytics.app;

import static io.tally.analytics.app.UsageCalls.batch;
import static io.tally.analytics.app.UsageCalls.event;
import static io.tally.analytics.app.UsageCalls.json;
import static io.tally.analytics.app.UsageCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, findings 2 and 3 (ingest side): events outside {@code [now - MAX_EVENT_AGE, now + MAX_CLOCK_SKEW]}
 * are refused one by one ({@code event.too_old}, {@code event.in_future}) and dead-lettered; they create no
 * partition and never fail the valid events of their batch.
 */
class EventTimeWindowIT {
  static final String ORG = "00000000-0000-0000-0000-0000000002a1";

  @RegisterExtension
  static final FreshTally SERVER = new FreshTally(Map.of("ROLLUP_INTERVAL", "1h"));

  final RunningTally tally = SERVER.tally();
  final FreshDatabase database = SERVER.database();

  @Test
  void oneRequestWith365DaysOf1900CreatesNoPartition() {
    long before = partitions();
    List<String> events = new ArrayList<>();
    LocalDate day = LocalDate.parse("1900-01-01");
    for (int i = 0; i < 365; i++) {
      events.add(event("flood-" + i, ORG, day.plusDays(i) + "T12:00:00Z"));
    }
    HttpResponse<String> response = post(tally, ORG, batch(events.toArray(String[]::new)));
    assertThat(partitions()).as("partitions of analytics.usage_events and keys").isEqualTo(before);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).get("rejected").asLong()).isEqualTo(365);
  }

  @Test
  void anEventBeforeYearZeroFailsAloneAndTheValidEventsOfItsBatchAreStored() {
    Instant now = Instant.now();
    long stored = database.usageEvents();
    long letters = database.deadLetters();
    HttpResponse<String> response = post(tally, ORG, batch(event("ok-1", ORG, now.toString()),
        event("ancient", ORG, "-5000-01-01T00:00:00Z"), event("ok-2", ORG, now.minusSeconds(60).toString()),
        event("far-future", ORG, "+300000-01-01T00:00:00Z"), event("soon", ORG,
            now.plus(Duration.ofHours(1)).toString())));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode report = json(response);
    assertThat(report.get("accepted").asLong()).isEqualTo(2);
    assertThat(report.at("/results/1/errors/0/errorCode").asText()).isEqualTo("event.too_old");
    assertThat(report.at("/results/3/errors/0/errorCode").asText()).isEqualTo("event.in_future");
    assertThat(report.at("/results/4/errors/0/errorCode").asText()).isEqualTo("event.in_future");
    assertThat(database.usageEvents()).isEqualTo(stored + 2);
    assertThat(database.deadLetters()).isEqualTo(letters + 3);
  }

  private long partitions() {
    return tally.app.services().database().jdbi().withHandle(h -> h.createQuery("""
        SELECT count(*) FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
         JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = 'analytics'""")
        .mapTo(Long.class).one());
  }
}
