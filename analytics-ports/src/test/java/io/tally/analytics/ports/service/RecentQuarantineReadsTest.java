package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.ports.memory.InMemoryUsageData;
import io.tally.analytics.ports.out.RollupQuarantine;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Duration;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecentQuarantineReadsTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(5);
  private static final OrgHour A_10 = new OrgHour(UsageEvents.ORG_A, T0);
  private static final OrgHour B_10 = new OrgHour(UsageEvents.ORG_B, T0);

  private final RollupQuarantine stored = new InMemoryUsageData().rollupQuarantine();
  private final List<UUID> storeReads = new ArrayList<>();
  /** Forwards everything to {@link #stored} and notes which organisation each {@code forOrg} asked about. */
  private final RollupQuarantine counted = (RollupQuarantine) Proxy.newProxyInstance(
      RollupQuarantine.class.getClassLoader(), new Class<?>[] {RollupQuarantine.class}, (proxy, method, args) -> {
        if (method.getName().equals("forOrg")) {
          storeReads.add((UUID) args[0]);
        }
        return method.invoke(stored, args);
      });
  private final MutableTimeSource clock = new MutableTimeSource(T0);
  private final RecentQuarantineReads reads = new RecentQuarantineReads(counted, MAX_AGE, 2, clock);

  private static QuarantinedHour failed(OrgHour hour) {
    return RollupRetryPolicy.DEFAULT.firstFailure(hour, "rollup.hour_failed: bigint out of range", T0);
  }

  @Test
  void anOrganisationsQuarantineIsReadOnceWithinTheMaxAgeAndAgainAfterIt() {
    assertThat(reads.forOrg(UsageEvents.ORG_A, 100)).isEmpty();
    clock.advance(MAX_AGE.minusMillis(1));
    assertThat(reads.forOrg(UsageEvents.ORG_A, 100)).isEmpty();
    assertThat(storeReads).containsExactly(UsageEvents.ORG_A);

    stored.record(failed(A_10)); // by another instance: not seen through here until the copy is too old
    assertThat(reads.forOrg(UsageEvents.ORG_A, 100)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(reads.forOrg(UsageEvents.ORG_A, 100)).containsExactly(failed(A_10));
    assertThat(storeReads).containsExactly(UsageEvents.ORG_A, UsageEvents.ORG_A);
  }

  @Test
  void anHourRecordedThroughItIsSeenAtOnceAndOnlyByItsOrganisation() {
    assertThat(reads.forOrg(UsageEvents.ORG_A, 100)).isEmpty();
    assertThat(reads.forOrg(UsageEvents.ORG_B, 100)).isEmpty();
    reads.record(failed(A_10));
    assertThat(reads.forOrg(UsageEvents.ORG_A, 100)).containsExactly(failed(A_10));
    assertThat(reads.forOrg(UsageEvents.ORG_B, 100)).isEmpty();
    assertThat(reads.count()).isEqualTo(1);
    assertThat(reads.find(A_10)).contains(failed(A_10));
  }

  @Test
  void countsAndListsAreNeverServedFromACopy() {
    assertThat(reads.forOrg(UsageEvents.ORG_B, 100)).isEmpty();
    stored.record(failed(B_10));
    assertThat(reads.count()).isEqualTo(1);
    assertThat(reads.list(10)).containsExactly(failed(B_10));
    assertThat(reads.find(B_10)).contains(failed(B_10));
  }

  @Test
  void aDifferentLimitAndAZeroMaxAgeReadThrough() {
    reads.forOrg(UsageEvents.ORG_A, 100);
    reads.forOrg(UsageEvents.ORG_A, 1);
    RecentQuarantineReads none = new RecentQuarantineReads(counted, Duration.ZERO, 2, clock);
    none.forOrg(UsageEvents.ORG_A, 100);
    none.forOrg(UsageEvents.ORG_A, 100);
    assertThat(storeReads).hasSize(4);
  }

  @Test
  void keepsAtMostMaxOrgsLeastRecentlyReadOut() {
    UUID third = UUID.fromString("00000000-0000-0000-0000-00000000000c");
    reads.forOrg(UsageEvents.ORG_A, 100);
    reads.forOrg(UsageEvents.ORG_B, 100);
    reads.forOrg(UsageEvents.ORG_A, 100); // A read most recently: B is the eldest
    reads.forOrg(third, 100);
    reads.forOrg(UsageEvents.ORG_A, 100);
    reads.forOrg(UsageEvents.ORG_B, 100);
    assertThat(storeReads).containsExactly(UsageEvents.ORG_A, UsageEvents.ORG_B, third, UsageEvents.ORG_B);
  }

  @Test
  void refusesANegativeMaxAgeAndNoRoom() {
    assertThatThrownBy(() -> new RecentQuarantineReads(stored, Duration.ofSeconds(-1), 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RecentQuarantineReads(stored, MAX_AGE, 0, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
