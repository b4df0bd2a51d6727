package io.tally.analytics.adapter.cloudstores.cosmos;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.CompositePath;
import com.azure.cosmos.models.CompositePathSortOrder;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.IndexingPolicy;
import io.tally.analytics.adapter.cloudstores.BackendFailures;
import io.tally.analytics.adapter.cloudstores.PartitionedAnalyticsStore;
import io.tally.analytics.adapter.cloudstores.StoreSettings;
import java.util.List;
import java.util.Map;

/**
 * Opens a Cosmos store from a route's config ({@code endpoint}, {@code key}, {@code database_id},
 * {@code container_id}) in gateway mode (HTTPS only, one endpoint to allow through a firewall). The database and
 * container are created when missing: partition key {@code /pk}, default TTL on (-1, so per-item {@code ttl}
 * applies), and the composite index (occurred_key, event_id) that ORDER BY on two fields needs.
 */
public final class CosmosStores {
  private CosmosStores() {}

  /**
   * @param config decrypted route config
   * @param settings retention, scan limit, clock
   * @return the store; its client is closed with it
   */
  public static PartitionedAnalyticsStore open(Map<String, String> config, StoreSettings settings) {
    CosmosClient client = BackendFailures.call("cosmos", "open", () -> new CosmosClientBuilder()
        .endpoint(config.get("endpoint"))
        .key(config.get("key"))
        .gatewayMode()
        .consistencyLevel(ConsistencyLevel.SESSION)
        .contentResponseOnWriteEnabled(false)
        .buildClient());
    try {
      CosmosContainer container = BackendFailures.call("cosmos", "open", () -> {
        client.createDatabaseIfNotExists(config.get("database_id"));
        CosmosContainerProperties properties = new CosmosContainerProperties(config.get("container_id"), "/pk");
        properties.setDefaultTimeToLiveInSeconds(-1);
        IndexingPolicy indexing = new IndexingPolicy();
        indexing.setCompositeIndexes(List.of(List.of(
            new CompositePath().setPath("/occurred_key").setOrder(CompositePathSortOrder.ASCENDING),
            new CompositePath().setPath("/event_id").setOrder(CompositePathSortOrder.ASCENDING))));
        properties.setIndexingPolicy(indexing);
        client.getDatabase(config.get("database_id")).createContainerIfNotExists(properties);
        return client.getDatabase(config.get("database_id")).getContainer(config.get("container_id"));
      });
      return new PartitionedAnalyticsStore(new CosmosPartitions(client, container), settings);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }
}
