package io.tally.analytics.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.analytics.adapter.http.UsageJson.UsageView;
import io.tally.analytics.core.freshness.Freshness;
import io.tally.analytics.core.freshness.FreshnessStatus;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.QueryUsage.UsagePoint;
import io.tally.analytics.ports.in.QueryUsage.UsageReport;
import io.tally.analytics.ports.in.QueryUsage.UsageTotals;
import io.tally.analytics.ports.in.TimeWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The kept parts of a usage answer give exactly the bytes a whole serialization gives, whatever the freshness. */
class UsageBodiesTest {
  private static final ObjectMapper MAPPER = JsonBodies.strictMapper();
  private static final UUID ORG = UUID.fromString("7c1f2a7e-5d1b-4f7e-9a51-0d6a3b2c9e11");
  private static final TimeWindow WEEK = new TimeWindow(Instant.parse("2026-11-29T00:00:00Z"),
      Instant.parse("2026-12-06T00:00:00Z"));

  private final UsageBodies bodies = new UsageBodies(MAPPER);

  private static List<UsagePoint> series(boolean byModel) {
    List<UsagePoint> points = new ArrayList<>();
    for (int day = 0; day < 7; day++) {
      for (String model : List.of("gpt-4o", "llama-3-70b")) {
        points.add(new UsagePoint(WEEK.start().plusSeconds(86_400L * day), byModel ? Optional.of(model)
            : Optional.empty(), new UsageTotals(100 + day, day, 1_000, 2_000, 3_456_789, day % 2)));
      }
    }
    return List.copyOf(points);
  }

  private static UsageTotals totals(List<UsagePoint> series) {
    return series.stream().map(UsagePoint::totals).reduce(UsageTotals.ZERO, UsageTotals::plus);
  }

  private static UsageReport report(List<UsagePoint> series, Freshness freshness) {
    return new UsageReport(ORG, Granularity.DAILY, WEEK, freshness, series, totals(series));
  }

  private static byte[] whole(UsageReport report) throws Exception {
    return MAPPER.writeValueAsBytes(UsageView.from(report));
  }

  @Test
  void aReusedAnswerIsSerializedOnceAndEachFreshnessIsItsOwn() throws Exception {
    List<UsagePoint> reused = series(true);
    List<Freshness> freshnesses = List.of(
        new Freshness(Optional.of(Instant.parse("2026-12-06T10:00:00Z")), 12, FreshnessStatus.FRESH),
        new Freshness(Optional.of(Instant.parse("2026-12-06T10:00:00Z")), 13, FreshnessStatus.FRESH),
        new Freshness(Optional.empty(), 0, FreshnessStatus.STALE),
        new Freshness(Optional.of(Instant.parse("2026-12-06T09:00:00.123Z")), 4_000, FreshnessStatus.STALE)
            .withError("1 hour quarantined: \"quoted\" \u00e9 \n reason"));
    for (Freshness f : freshnesses) {
      UsageReport r = report(reused, f);
      assertThat(new String(bodies.body(r), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(new String(whole(r), java.nio.charset.StandardCharsets.UTF_8));
    }
    assertThat(bodies.kept()).isEqualTo(1);
  }

  @Test
  void aRecomputedAnswerOrOneWithoutModelsIsSerializedAnew() throws Exception {
    Freshness fresh = new Freshness(Optional.of(Instant.parse("2026-12-06T10:00:00Z")), 1, FreshnessStatus.FRESH);
    UsageReport byModel = report(series(true), fresh);
    UsageReport none = report(series(false), fresh);
    UsageReport empty = report(List.of(), fresh);
    for (UsageReport r : List.of(byModel, none, empty, report(series(true), fresh))) {
      assertThat(bodies.body(r)).isEqualTo(whole(r));
    }
    assertThat(bodies.kept()).isEqualTo(4);
  }

  /** Kept parts are used only for the answer they came from: same list, another window or totals, new bytes. */
  @Test
  void keptPartsAreCheckedAgainstTheReport() throws Exception {
    List<UsagePoint> reused = series(true);
    Freshness fresh = new Freshness(Optional.empty(), 0, FreshnessStatus.STALE);
    bodies.body(report(reused, fresh));
    UsageReport otherWindow = new UsageReport(ORG, Granularity.HOURLY, new TimeWindow(WEEK.start(),
        WEEK.start().plusSeconds(3_600)), fresh, reused, totals(reused));
    UsageReport otherOrg = new UsageReport(UUID.randomUUID(), Granularity.DAILY, WEEK, fresh, reused,
        UsageTotals.ZERO);
    assertThat(bodies.body(otherWindow)).isEqualTo(whole(otherWindow));
    assertThat(bodies.body(otherOrg)).isEqualTo(whole(otherOrg));
  }

  @Test
  void atMostKeptAnswersAreKept() {
    Freshness fresh = new Freshness(Optional.empty(), 0, FreshnessStatus.STALE);
    for (int i = 0; i < UsageBodies.KEPT + 10; i++) {
      bodies.body(report(series(true), fresh));
    }
    assertThat(bodies.kept()).isEqualTo(UsageBodies.KEPT);
  }
}
