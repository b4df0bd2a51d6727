package io.tally.analytics.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.core.testing.EventArbitraries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class BatchDeduplicatorProperties {

  @Provide
  Arbitrary<List<UsageEvent>> batches() {
    // Short ids so that keys repeat often, with and without payload changes.
    return EventArbitraries.events().map(e -> new UsageEvent(e.eventId().substring(0, 1), e.orgId(),
        e.occurredAt(), e.modelId(), e.actorId(), e.apiKeyId(), e.inputTokens() % 3, e.outputTokens(),
        e.costMicros(), 5, e.status(), e.errorCode(), e.region())).list().ofMaxSize(80);
  }

  @Property(tries = 200)
  void uniqueHoldsTheFirstOccurrenceOfEveryKeyOnce(@ForAll("batches") List<UsageEvent> events) {
    List<FingerprintedEvent> input = events.stream().map(FingerprintedEvent::of).toList();
    BatchDeduplicator.Result result = new BatchDeduplicator().deduplicate(input);

    Map<UsageEventKey, FingerprintedEvent> firsts = new LinkedHashMap<>();
    input.forEach(e -> firsts.putIfAbsent(e.key(), e));
    assertThat(result.unique()).containsExactlyElementsOf(new ArrayList<>(firsts.values()));
    assertThat(result.outcomes()).hasSize(input.size());
    assertThat(result.unique().size() + result.duplicates() + result.conflicts()).isEqualTo(input.size());
    for (int i = 0; i < input.size(); i++) {
      BatchDeduplicator.Outcome outcome = result.outcomes().get(i);
      FingerprintedEvent first = firsts.get(input.get(i).key());
      if (outcome instanceof BatchDeduplicator.Outcome.Unique u) {
        assertThat(result.unique().get(u.uniqueIndex())).isSameAs(input.get(i));
      } else if (outcome instanceof BatchDeduplicator.Outcome.Duplicate d) {
        assertThat(input.get(d.firstIndex())).isSameAs(first);
        assertThat(first.fingerprint()).isEqualTo(input.get(i).fingerprint());
      } else if (outcome instanceof BatchDeduplicator.Outcome.Conflict c) {
        assertThat(input.get(c.firstIndex())).isSameAs(first);
        assertThat(first.fingerprint()).isNotEqualTo(input.get(i).fingerprint());
      }
    }
  }
}
