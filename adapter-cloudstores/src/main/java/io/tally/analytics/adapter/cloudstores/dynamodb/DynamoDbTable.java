package io.tally.analytics.adapter.cloudstores.dynamodb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The table schema {@link DynamoDbPartitions} needs: string keys {@code pk}/{@code sk}, the global secondary index
 * {@code by_user} ({@code user_key}, {@code sk}; keys only) for erasure, on-demand billing, and TTL on
 * {@code expires_at}. Against a local endpoint the table is created when missing; in AWS it is an operator's job
 * (docs/cloudstores.md has the command), and TTL is switched on here, tolerating a refusal with a warning.
 */
final class DynamoDbTable {
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTable.class);

  private DynamoDbTable() {}

  static void createIfMissing(DynamoDbClient client, String table) {
    try {
      client.describeTable(b -> b.tableName(table));
      return;
    } catch (ResourceNotFoundException missing) {
      LOG.atInfo().addKeyValue("table", table).log("creating the DynamoDB table of the analytics store");
    }
    client.createTable(b -> b.tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            attribute(DynamoDbPartitions.PK), attribute(DynamoDbPartitions.SK), attribute(DynamoDbPartitions.USER_KEY))
        .keySchema(key(DynamoDbPartitions.PK, KeyType.HASH), key(DynamoDbPartitions.SK, KeyType.RANGE))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(DynamoDbPartitions.BY_USER)
            .keySchema(key(DynamoDbPartitions.USER_KEY, KeyType.HASH), key(DynamoDbPartitions.SK, KeyType.RANGE))
            .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build()));
    client.waiter().waitUntilTableExists(b -> b.tableName(table));
  }

  /** TTL is not part of dynalite; in AWS it makes the store delete expired events by itself. */
  static void enableTtl(DynamoDbClient client, String table) {
    try {
      client.updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(
          t -> t.attributeName(DynamoDbPartitions.EXPIRES_AT).enabled(true)));
    } catch (DynamoDbException e) {
      // Already enabled, or not permitted to this principal: reads filter expired events either way.
      LOG.atWarn().addKeyValue("table", table).addKeyValue("reason", e.getClass().getSimpleName())
          .log("could not enable DynamoDB TTL on expires_at; expired events are hidden but not deleted");
    }
  }

  private static AttributeDefinition attribute(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
