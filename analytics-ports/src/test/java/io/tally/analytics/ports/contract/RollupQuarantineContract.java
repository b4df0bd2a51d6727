package io.tally.analytics.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.rollup.OrgHour;
import io.tally.analytics.core.rollup.QuarantinedHour;
import io.tally.analytics.core.rollup.RollupRetryPolicy;
import io.tally.analytics.ports.out.RollupQuarantine;
import io.tally.analytics.ports.testdata.UsageEvents;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every {@link RollupQuarantine} must show. */
public abstract class RollupQuarantineContract {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final RollupRetryPolicy POLICY = RollupRetryPolicy.DEFAULT;
  private static final OrgHour A_10 = new OrgHour(UsageEvents.ORG_A, Instant.parse("2026-12-06T10:00:00Z"));
  private static final OrgHour A_11 = new OrgHour(UsageEvents.ORG_A, Instant.parse("2026-12-06T11:00:00Z"));
  private static final OrgHour B_10 = new OrgHour(UsageEvents.ORG_B, Instant.parse("2026-12-06T10:00:00Z"));

  /** @return a new, empty quarantine (called once per test) */
  protected abstract RollupQuarantine newQuarantine();

  protected RollupQuarantine quarantine;

  @BeforeEach
  void createQuarantine() {
    quarantine = newQuarantine();
  }

  @Test
  void anEntryIsStoredAsGivenAndReplacedByTheNextOfTheSameHour() {
    assertThat(quarantine.find(A_10)).isEmpty();
    assertThat(quarantine.count()).isZero();
    QuarantinedHour first = POLICY.firstFailure(A_10, "rollup.hour_failed: bigint out of range", T0);
    quarantine.record(first);
    assertThat(quarantine.find(A_10)).contains(first);
    QuarantinedHour second = POLICY.failedAgain(first, "rollup.hour_failed: still out of range",
        T0.plus(Duration.ofMinutes(1)));
    quarantine.record(second);
    assertThat(quarantine.find(A_10)).contains(second);
    assertThat(quarantine.count()).isEqualTo(1);
    assertThat(quarantine.find(A_11)).isEmpty();
  }

  @Test
  void dueListsOnlyEntriesWhoseNextAttemptHasComeEarliestFirst() {
    quarantine.record(POLICY.firstFailure(A_10, "x", T0));
    quarantine.record(POLICY.firstFailure(B_10, "y", T0.minusSeconds(10)));
    quarantine.record(POLICY.failedAgain(POLICY.firstFailure(A_11, "z", T0), "z", T0));
    assertThat(quarantine.due(T0, 10)).isEmpty();
    assertThat(quarantine.due(T0.plusSeconds(30), 10)).extracting(QuarantinedHour::hour).containsExactly(B_10, A_10);
    assertThat(quarantine.due(T0.plusSeconds(60), 10)).extracting(QuarantinedHour::hour)
        .containsExactly(B_10, A_10, A_11);
    assertThat(quarantine.due(T0.plusSeconds(60), 1)).extracting(QuarantinedHour::hour).containsExactly(B_10);
  }

  @Test
  void listAndForOrgAreOldestFailureFirst() {
    quarantine.record(POLICY.firstFailure(A_11, "late", T0.plusSeconds(5)));
    quarantine.record(POLICY.firstFailure(B_10, "other org", T0.plusSeconds(1)));
    quarantine.record(POLICY.firstFailure(A_10, "early", T0));
    assertThat(quarantine.list(10)).extracting(QuarantinedHour::hour).containsExactly(A_10, B_10, A_11);
    assertThat(quarantine.list(2)).extracting(QuarantinedHour::hour).containsExactly(A_10, B_10);
    assertThat(quarantine.forOrg(UsageEvents.ORG_A, 10)).extracting(QuarantinedHour::reason)
        .containsExactly("early", "late");
    assertThat(quarantine.forOrg(UsageEvents.ORG_B, 10)).hasSize(1);
    assertThat(quarantine.count()).isEqualTo(3);
  }

  @Test
  void longReasonsAreCutAndStoredWhole() {
    QuarantinedHour entry = POLICY.firstFailure(A_10, "é".repeat(2_000), T0);
    quarantine.record(entry);
    assertThat(quarantine.find(A_10).orElseThrow().reason()).isEqualTo(entry.reason())
        .hasSize(QuarantinedHour.MAX_REASON_LENGTH);
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> quarantine.list(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> quarantine.due(T0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> quarantine.forOrg(UsageEvents.ORG_A, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
