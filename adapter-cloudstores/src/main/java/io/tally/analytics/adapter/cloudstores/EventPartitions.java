package io.tally.analytics.adapter.cloudstores;

import io.tally.analytics.core.analyticsevent.AnalyticsEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * What a document store must offer {@link PartitionedAnalyticsStore}: partitions that each hold one tenant's
 * events of one project (and, where the store spreads writes, one day and shard) in store order; a marker per
 * (tenant, project, day) so reads know which partitions exist; and a claim per (tenant, event id) so a redelivery
 * is a duplicate wherever its time puts it. No operation needs a transaction (dynalite has none).
 *
 * <p>Implementations translate their client's failures with {@link BackendFailures} and are closed with the route.
 */
public interface EventPartitions extends AutoCloseable {
  /** @return the backend's wire name ({@code dynamodb}, {@code firestore}, {@code cosmos}) */
  String backend();

  /** @return the partition {@code e} is written to */
  String partitionOf(AnalyticsEvent e);

  /** @return the partitions that may hold the tenant's events of {@code project} on {@code day} */
  List<String> partitionsOf(String tenant, String project, LocalDate day);

  /** Records, idempotently, that the tenant has events of {@code project} on {@code day}. */
  void mark(String tenant, String project, LocalDate day);

  /** @return every marked (project, day) of the tenant; a store without days answers an empty day */
  List<PartitionMark> marks(String tenant);

  /**
   * @param partition from {@link #partitionOf}
   * @param e the event
   * @param expiresAt when the store's TTL may delete it (reads hide it from then on)
   * @return false when the partition already holds an event with this id (nothing is written then)
   */
  boolean createEvent(String partition, AnalyticsEvent e, Instant expiresAt);

  /** @return false when the tenant already has a claim for the key's event id (nothing is written then) */
  boolean createClaim(StoredKey key);

  /** @return where the tenant's event with this id was stored, if it was */
  Optional<StoredKey> readClaim(String tenant, String eventId);

  /** Removes the claim, if any. */
  void deleteClaim(String tenant, String eventId);

  /** @return true when the event existed and is deleted now */
  boolean deleteEvent(StoredKey key);

  /**
   * Deletes events and their claims, as the store does best in bulk (no conditions are needed: the keys come
   * from a read just made).
   *
   * @return how many events were deleted
   */
  default long deleteEventsAndClaims(List<StoredKey> keys) {
    long deleted = 0;
    for (StoredKey key : keys) {
      if (deleteEvent(key)) {
        deleted++;
      }
      deleteClaim(key.tenantId(), key.eventId());
    }
    return deleted;
  }

  /** @return the partition's events matching {@code read}, in store order, read page by page as consumed */
  Iterator<AnalyticsEvent> read(String partition, PartitionRead read);

  /** @return how many of the partition's events match {@code read} (its cursor is ignored) */
  long count(String partition, PartitionRead read);

  /** @return keys of the tenant's events by {@code userId}, expired or not, among {@code partitions} */
  List<StoredKey> keysOfUser(String tenant, String userId, List<String> partitions);

  @Override
  void close();

  /**
   * A partition marker.
   *
   * @param project project id
   * @param day UTC day, empty for stores whose partitions span days
   */
  record PartitionMark(String project, Optional<LocalDate> day) {}
}
