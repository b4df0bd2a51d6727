package io.tally.analytics.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.ports.in.IngestUsageBatch.EventStatus;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestReport;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.core.usage.DeadLetter;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.QueryUsage.UsageQuery;
import io.tally.analytics.ports.in.QueryUsage.UsageReport;
import io.tally.analytics.ports.in.TimeWindow;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The assembler and the typed entry points an embedding service uses. */
class TallyTest {
  private static final Instant NOW = Instant.parse("2026-11-03T12:00:00Z");
  private static final UUID ORG = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-00000000000b");

  private final Tally tally = Tally.inMemory(() -> NOW);
  private final Actor gateway = Actor.service("gateway", ORG);

  private UsageEvent.Builder event(String id, UUID org, Instant at) {
    return UsageEvent.builder(id, org, at, "llama-3-70b").tokens(10, 5).latencyMs(120);
  }

  @Test
  void typedEventsAreStoredAsTheyAreAndResendsAreDuplicates() {
    UsageEvent ok = event("a-1", ORG, NOW.minusSeconds(60)).apiKeyId("key_12").region("us-east").build();
    IngestReport first = tally.ingest().ingest(IngestCommand.of(gateway, List.of(ok)));
    IngestReport again = tally.ingest().ingest(IngestCommand.of(gateway, List.of(ok)));
    assertThat(first.accepted()).isEqualTo(1);
    assertThat(again.results()).extracting(r -> r.status()).containsExactly(EventStatus.DUPLICATE);
    assertThat(first.batchId()).isNotEqualTo(again.batchId()).startsWith("embedded-");
    assertThat(tally.rollUp().eventsRead()).isEqualTo(1);
    UsageReport usage = tally.usage().query(UsageQuery.of(gateway, ORG, Granularity.HOURLY,
        new TimeWindow(NOW.minusSeconds(3_600), NOW)));
    assertThat(usage.series()).singleElement().satisfies(p -> {
      assertThat(p.modelId()).contains("llama-3-70b");
      assertThat(p.totals().inputTokens()).isEqualTo(10);
    });
  }

  @Test
  void aTypedEventOutsideTheEventTimeWindowIsRejectedAndDeadLettered() {
    UsageEvent future = event("f-1", ORG, NOW.plusSeconds(3_600)).build();
    IngestReport report = tally.ingest().ingest(IngestCommand.of(gateway, List.of(future)));
    assertThat(report.rejected()).isEqualTo(1);
    assertThat(report.results().get(0).eventId()).contains("f-1");
    DeadLetter letter = tally.deadLetters().latest(1).get(0);
    assertThat(letter.payload()).contains("eventId=f-1").contains("orgId=" + ORG);
    assertThat(letter.violations()).extracting(v -> v.field()).containsExactly("occurredAt");
  }

  @Test
  void aServiceActsForItsOwnOrganisationsOnlyAndCannotRunTheRollup() {
    assertThatThrownBy(() -> tally.ingest().ingest(IngestCommand.of(gateway,
        List.of(event("x-1", OTHER, NOW).build()))))
        .isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo("auth.cross_org"));
    assertThatThrownBy(() -> tally.rollup().run(new RunRollupCommand(gateway, 10, 10)))
        .isInstanceOf(TallyException.class);
    assertThat(tally.auditLog().head().sequence()).as("both denials audited").isEqualTo(2);
    assertThat(gateway.subject()).isEqualTo("service:gateway");
    assertThat(Actor.system("rollup").platformOperator()).isTrue();
  }
}
