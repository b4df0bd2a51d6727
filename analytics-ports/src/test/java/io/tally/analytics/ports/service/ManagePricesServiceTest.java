package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.core.pricing.ModelPrice;
import io.tally.analytics.core.pricing.PriceEntry;
import io.tally.analytics.core.usage.IngestSource;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.ports.in.Granularity;
import io.tally.analytics.ports.in.GroupBy;
import io.tally.analytics.ports.in.IngestUsageBatch.IngestCommand;
import io.tally.analytics.ports.in.ManagePrices.PriceChangeReport;
import io.tally.analytics.ports.in.ManagePrices.PutPrices;
import io.tally.analytics.ports.in.QueryUsage.UsageQuery;
import io.tally.analytics.ports.in.QueryUsage.UsageTotals;
import io.tally.analytics.ports.in.RunRollup.RunRollupCommand;
import io.tally.analytics.ports.in.TimeWindow;
import io.tally.analytics.ports.memory.InMemoryUsageModule;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManagePricesServiceTest {
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant DAY = Instant.parse("2026-10-01T00:00:00Z");
  private final InMemoryUsageModule tally = new InMemoryUsageModule(NOW);
  private final io.tally.analytics.core.rbac.Actor operator = Actors.operator("admin");

  private PriceChangeReport put(boolean dryRun, ModelPrice... prices) {
    return tally.managePrices.put(new PutPrices(operator, List.of(prices), "api", dryRun));
  }

  private UsageTotals usage() {
    tally.rollup.run(new RunRollupCommand(Actors.system(), 100, 100));
    return tally.usage.query(new UsageQuery(Actors.adminOf(UsageEvents.ORG_A), UsageEvents.ORG_A, Granularity.DAILY,
        new TimeWindow(DAY, DAY.plusSeconds(7 * 86_400)), Optional.empty(), GroupBy.NONE)).totals();
  }

  @Test
  void theDoneWhenStoryUnpricedThenPricedExactly() {
    tally.ingest.ingest(new IngestCommand(Actors.adminOf(UsageEvents.ORG_A), "b-1", IngestSource.http("r-1"),
        List.of(UsageEventCandidate.fromEvent(UsageEvents.anEvent().withId("a").withModel("qwen-14b")
                .at("2026-10-01T10:00:00Z").withTokens(1_000_000, 500_000).withoutCost().build()),
            UsageEventCandidate.fromEvent(UsageEvents.anEvent().withId("b").withModel("qwen-14b")
                .at("2026-10-02T11:00:00Z").withTokens(3, 1).withoutCost().build()))));
    assertThat(usage()).isEqualTo(new UsageTotals(2, 0, 1_000_003, 500_001, 0, 2));

    PriceChangeReport dry = put(true, new ModelPrice("qwen-14b", DAY, 600_000, 2_400_000));
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.changes()).hasSize(1);
    assertThat(usage().unpricedRequests()).as("a dry run writes nothing").isEqualTo(2);

    PriceChangeReport applied = put(false, new ModelPrice("qwen-14b", DAY, 600_000, 2_400_000));
    assertThat(applied.hoursMarked()).isEqualTo(2);
    // 1M x 0.60 + 0.5M x 2.40 = 1,800,000 micros; 3 x 0.6 + 1 x 2.4 = 4.2 -> 4 micros
    assertThat(usage()).isEqualTo(new UsageTotals(2, 0, 1_000_003, 500_001, 1_800_004, 0));
  }

  @Test
  void everyChangeIsAuditedWithBeforeAndAfter() {
    put(false, new ModelPrice("m", DAY, 1, 2));
    put(false, new ModelPrice("m", DAY, 3, 4));
    PriceChangeReport same = put(false, new ModelPrice("m", DAY, 3, 4));
    assertThat(same.changes()).isEmpty();
    assertThat(same.unchanged()).isEqualTo(1);
    List<String> reasons = tally.auditLog.all().stream().filter(r -> r.action().equals("prices.changed"))
        .map(AuditRecord::reason).toList();
    assertThat(reasons).hasSize(2);
    assertThat(reasons.get(0)).contains("before=none").contains("after={inputMicrosPer1M=1, outputMicrosPer1M=2");
    assertThat(reasons.get(1)).contains("before={inputMicrosPer1M=1").contains("after={inputMicrosPer1M=3");
  }

  @Test
  void onlyAFutureEntryCanBeDeleted() {
    ModelPrice past = new ModelPrice("m", DAY, 1, 2);
    ModelPrice future = new ModelPrice("m", NOW.plusSeconds(3600), 5, 6);
    put(false, past, future);
    assertCode(() -> tally.managePrices.delete(operator, past.key()), "price.in_effect");
    assertCode(() -> tally.managePrices.delete(operator, new ModelPrice("m", DAY.plusSeconds(1), 1, 2).key()),
        "price.not_found");
    assertThat(tally.managePrices.delete(operator, future.key()).changes()).singleElement()
        .satisfies(c -> assertThat(c.after()).isEmpty());
    assertThat(tally.managePrices.list(operator, Optional.of("m"))).extracting(PriceEntry::price)
        .containsExactly(past);
    assertThat(tally.auditLog.all()).filteredOn(r -> r.action().equals("prices.changed")).last()
        .satisfies(r -> assertThat(r.reason()).contains("after=none"));
  }

  @Test
  void duplicateKeysInOnePutAreRefusedAndOnlyOperatorsManagePrices() {
    assertCode(() -> put(false, new ModelPrice("m", DAY, 1, 2), new ModelPrice("m", DAY, 3, 4)),
        "price.invalid_duplicate_key");
    assertCode(() -> tally.managePrices.list(Actors.adminOf(UsageEvents.ORG_A), Optional.empty()), "auth.cross_org");
    assertCode(() -> tally.managePrices.list(Actors.operator("viewer"), Optional.empty()), "auth.forbidden");
  }

  private static void assertCode(Runnable r, String code) {
    assertThatThrownBy(r::run).isInstanceOf(TallyException.class)
        .satisfies(e -> assertThat(((TallyException) e).errorCode()).isEqualTo(code));
  }
}
