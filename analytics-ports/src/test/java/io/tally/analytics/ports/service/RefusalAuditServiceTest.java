package io.tally.analytics.ports.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.audit.AuditRecord;
import io.tally.analytics.ports.in.AuditRefusals.Refusal;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 8, finding 6: 401s and 429s were not audited; now they are, aggregated per address and minute. */
class RefusalAuditServiceTest {
  static final Instant T0 = Instant.parse("2026-12-06T12:00:10Z");

  final InMemoryAuditLog log = new InMemoryAuditLog();
  final MutableTimeSource clock = new MutableTimeSource(T0);
  final RefusalAuditService audit = new RefusalAuditService(log, clock);

  static Refusal unauthenticated(String address) {
    return new Refusal(address, "auth.unauthenticated", Optional.empty());
  }

  @Test
  void aFloodFromOneAddressIsTheFirstRefusalPlusTheMinutesTotal() {
    for (int i = 0; i < 1_000; i++) {
      audit.refused(unauthenticated("10.0.0.7"));
    }
    assertThat(log.all()).hasSize(1);
    AuditRecord first = log.all().get(0);
    assertThat(first.action()).isEqualTo("auth.authenticate");
    assertThat(first.scope()).isEqualTo("address:10.0.0.7");
    assertThat(first.decision()).isEqualTo("deny");
    assertThat(first.reason()).startsWith("auth.unauthenticated: first refusal");
    audit.flush();
    assertThat(log.all()).as("the minute is not over").hasSize(1);
    clock.advance(Duration.ofMinutes(1));
    audit.flush();
    assertThat(log.all()).hasSize(2);
    assertThat(log.all().get(1).reason()).contains("1000 refusals from 10.0.0.7 in the minute 2026-12-06T12:00:00Z");
    audit.flush();
    assertThat(log.all()).hasSize(2);
  }

  @Test
  void addressesCodesAndMinutesAreCountedApartAndALoneRefusalHasNoTotal() {
    audit.refused(unauthenticated("10.0.0.7"));
    audit.refused(unauthenticated("10.0.0.8"));
    audit.refused(new Refusal("10.0.0.7", "rate_limited", Optional.of("alice")));
    audit.refused(new Refusal("10.0.0.7", "rate_limited", Optional.of("alice")));
    clock.advance(Duration.ofSeconds(60));
    audit.refused(unauthenticated("10.0.0.7"));
    List<AuditRecord> records = log.all();
    assertThat(records).extracting(AuditRecord::action).containsExactly("auth.authenticate", "auth.authenticate",
        "rate_limit", "auth.authenticate", "rate_limit");
    assertThat(records.get(2).actorSubject()).isEqualTo("alice");
    assertThat(records.get(4).reason()).startsWith("rate_limited: 2 refusals from 10.0.0.7");
    assertThat(log.verify()).isEmpty();
  }

  @Test
  void beyondTheOpenKeyLimitAddressesAreCountedTogether() {
    for (int i = 0; i < RefusalAuditService.MAX_OPEN_KEYS + 500; i++) {
      audit.refused(unauthenticated("2001:db8::" + Integer.toHexString(i)));
    }
    assertThat(log.all()).hasSize(RefusalAuditService.MAX_OPEN_KEYS + 1);
    assertThat(log.all().get(RefusalAuditService.MAX_OPEN_KEYS).scope()).isEqualTo("address:*");
  }
}
