/**
 * The document-store backends of the AN-01 event store: one package per vendor ({@code dynamodb}, {@code firestore},
 * {@code cosmos}), each implementing the small {@link io.tally.analytics.adapter.cloudstores.EventPartitions} SPI,
 * and this package's {@link io.tally.analytics.adapter.cloudstores.PartitionedAnalyticsStore}, which turns any of
 * them into the analytics-store port with one algorithm for dedup, keyset paging, counting, aggregation and erasure.
 * {@link io.tally.analytics.adapter.cloudstores.CloudStoreProvider} opens a store per route and closes its client
 * when the route is deleted or replaced.
 */
package io.tally.analytics.adapter.cloudstores;
