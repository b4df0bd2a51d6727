package io.tally.analytics.adapter.cloudstores.dynamodb;

import io.tally.analytics.adapter.cloudstores.BackendFailures;
import io.tally.analytics.adapter.cloudstores.PartitionedAnalyticsStore;
import io.tally.analytics.adapter.cloudstores.StoreSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Opens a DynamoDB store from a route's config ({@code region}, {@code table_name}, {@code use_local},
 * {@code endpoint_override}, {@code access_key_id}/{@code secret_access_key}; already validated by
 * {@link io.tally.analytics.core.routing.BackendConfigRules}). Without a key pair the default AWS credential chain
 * applies; against a local endpoint (dynalite) any key is accepted, so a fixed dummy pair is used.
 */
public final class DynamoDbStores {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private DynamoDbStores() {}

  /**
   * @param config decrypted route config
   * @param settings retention, scan limit, clock
   * @return the store; its client is closed with it
   */
  public static PartitionedAnalyticsStore open(Map<String, String> config, StoreSettings settings) {
    boolean local = Boolean.parseBoolean(config.getOrDefault("use_local", "false"));
    String table = config.get("table_name");
    DynamoDbClientBuilder builder = DynamoDbClient.builder()
        .region(Region.of(config.get("region")))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(3)).socketTimeout(CALL_TIMEOUT))
        .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))
        .credentialsProvider(credentials(config, local));
    if (config.containsKey("endpoint_override")) {
      builder.endpointOverride(URI.create(config.get("endpoint_override")));
    }
    DynamoDbClient client = builder.build();
    try {
      BackendFailures.call("dynamodb", "open", () -> {
        if (local) {
          DynamoDbTable.createIfMissing(client, table);
        } else {
          DynamoDbTable.enableTtl(client, table);
        }
        return null;
      });
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return new PartitionedAnalyticsStore(new DynamoDbPartitions(client, table), settings);
  }

  private static AwsCredentialsProvider credentials(Map<String, String> config, boolean local) {
    if (config.containsKey("access_key_id")) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(config.get("access_key_id"), config.get("secret_access_key")));
    }
    if (local) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
