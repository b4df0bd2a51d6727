package io.tally.analytics.core.testing;

import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of priced events over a few orgs, models and three days (so buckets collide often). */
public final class EventArbitraries {
  public static final List<UUID> ORGS = List.of(
      UUID.fromString("00000000-0000-0000-0000-000000000001"),
      UUID.fromString("00000000-0000-0000-0000-000000000002"));
  public static final List<String> MODELS = List.of("llama-3-70b", "mistral-7b");
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

  private EventArbitraries() {}

  public static Arbitrary<UsageEvent> events() {
    return Combinators.combine(
            Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12),
            Arbitraries.of(ORGS),
            Arbitraries.longs().between(0, 3L * 24 * 3600 - 1),
            Arbitraries.of(MODELS),
            Arbitraries.longs().between(0, 100_000),
            Arbitraries.longs().between(0, 100_000),
            Arbitraries.longs().between(0, 10_000_000),
            Arbitraries.longs().between(0, 60_000))
        .flatAs((id, org, offset, model, in, out, cost, latency) -> Arbitraries.of(UsageStatus.class)
            .map(status -> new UsageEvent(id, org, START.plusSeconds(offset), model, Optional.empty(),
                Optional.empty(), in, out, Optional.of(cost), latency, status, Optional.empty(),
                Optional.empty())));
  }

  public static Arbitrary<List<UsageEvent>> eventLists() {
    return events().list().ofMaxSize(60);
  }
}
