package io.tally.analytics.adapter.cloudstores.firestore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.analytics.adapter.cloudstores.OccurredKey;
import io.tally.analytics.adapter.cloudstores.PartitionRead;
import io.tally.analytics.core.analyticsevent.EventField;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

/**
 * The emulator answers any query; production Firestore answers only those a composite index serves. Every query
 * shape the adapter can issue (any combination of filters, with and without expiry) must be served by
 * {@code firestore.indexes.json}: for each equality field, an index with that field (and possibly other equality
 * fields of the query) followed by exactly the query's range fields — Firestore merges such indexes.
 */
class FirestoreIndexesTest {
  private static final List<List<String>> INDEXES = load();

  private static List<List<String>> load() {
    try (InputStream in = FirestoreIndexesTest.class.getResourceAsStream("/firestore/firestore.indexes.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      List<List<String>> indexes = new ArrayList<>();
      for (JsonNode index : root.get("indexes")) {
        assertThat(index.get("collectionGroup").asText()).isEqualTo("events");
        List<String> fields = new ArrayList<>();
        index.get("fields").forEach(f -> fields.add(f.get("fieldPath").asText()));
        indexes.add(fields);
      }
      return indexes;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static PartitionRead read(List<EventField> fields, boolean withExpiry) {
    Map<EventField, String> eq = new EnumMap<>(EventField.class);
    fields.forEach(f -> eq.put(f, "v"));
    return new PartitionRead(eq, OccurredKey.LOWEST, OccurredKey.HIGHEST, Optional.empty(),
        withExpiry ? Optional.of(Instant.EPOCH) : Optional.empty(), 10);
  }

  private static boolean served(FirestoreQueryShape shape) {
    if (shape.equalities().isEmpty()) {
      return INDEXES.contains(shape.range());
    }
    return shape.equalities().stream().allMatch(e -> INDEXES.stream().anyMatch(index -> {
      int prefix = index.size() - shape.range().size();
      return prefix > 0 && index.subList(prefix, index.size()).equals(shape.range())
          && index.subList(0, prefix).contains(e) && shape.equalities().containsAll(index.subList(0, prefix));
    }));
  }

  @Property(tries = 300)
  void everyFilterCombinationOfAQueryIsServed(@ForAll @Size(max = 6) @UniqueElements List<EventField> fields) {
    assertThat(served(FirestoreQueryShape.of(read(fields, true)))).as("%s", fields).isTrue();
  }

  @Test
  void everySingleFieldAndTheUnfilteredReadAreServed() {
    assertThat(served(FirestoreQueryShape.of(read(List.of(), true)))).isTrue();
    for (EventField f : EventField.values()) {
      assertThat(served(FirestoreQueryShape.of(read(List.of(f), true)))).as(f.wireName()).isTrue();
    }
  }

  @Test
  void theCheckWouldCatchAMissingIndex() {
    FirestoreQueryShape unknown = new FirestoreQueryShape(Set.of("no_such_field"), FirestoreQueryShape.READ_RANGE);
    assertThat(served(unknown)).isFalse();
    FirestoreQueryShape wrongOrder = new FirestoreQueryShape(Set.of("surface"),
        List.of("event_id", "occurred_key", "expires_at"));
    assertThat(served(wrongOrder)).isFalse();
  }

  @Test
  void theShapeIsTheQueryTheAdapterBuilds() {
    // The range of the adapter's read: ordered by occurred_key, event_id, with expires_at the inequality after them.
    assertThat(FirestoreQueryShape.of(read(List.of(EventField.SURFACE), true)).range())
        .containsExactly("occurred_key", "event_id", "expires_at");
    assertThat(FirestorePartitions.queryDescription(read(List.of(EventField.SURFACE, EventField.APP), true)))
        .isEqualTo(FirestoreQueryShape.of(read(List.of(EventField.SURFACE, EventField.APP), true)));
  }
}
