package io.tally.analytics.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {
  private static Route route(BackendType type, Map<String, String> config) {
    return new Route("r1", "analytics_store", "t1", "staging", type, config, true, Instant.EPOCH);
  }

  private static Map<String, String> cosmos() {
    return Map.of("endpoint", "https://localhost:8081", "key", "s3cr3t", "database_id", "db", "container_id", "c");
  }

  @Test
  void cosmosKeyIsRedactedInConfigViewAndToString() {
    Route r = route(BackendType.COSMOS, cosmos());
    assertThat(r.redactedConfig()).containsEntry("key", "***").containsEntry("database_id", "db");
    assertThat(r.config()).containsEntry("key", "s3cr3t");
    assertThat(r.toString()).doesNotContain("s3cr3t").contains("***");
  }

  @Test
  void dynamodbAcceptsTheAppendixConfig() {
    Route r = route(BackendType.DYNAMODB, Map.of("region", "us-east-1", "table_name", "analytics-store-staging",
        "use_local", "false"));
    assertThat(r.redactedConfig()).isEqualTo(r.config());
  }

  @Test
  void unknownConfigKeyIsRejected() {
    assertThatThrownBy(() -> route(BackendType.POSTGRES, Map.of("table_name", "x")))
        .isInstanceOf(TallyException.class).extracting("errorCode").isEqualTo("route.invalid_config");
  }

  @Test
  void missingRequiredKeyIsRejected() {
    assertThatThrownBy(() -> route(BackendType.FIRESTORE, Map.of("project_id", "p")))
        .hasMessageContaining("collection_path").extracting("errorCode").isEqualTo("route.invalid_config");
  }

  @Test
  void booleanFlagsMustBeBooleans() {
    assertThatThrownBy(() -> route(BackendType.DYNAMODB, Map.of("region", "r", "table_name", "t", "use_local", "yes")))
        .extracting("errorCode").isEqualTo("route.invalid_config");
  }

  @Test
  void onlyAnalyticsStoreIsAKnownResourceKind() {
    assertThatThrownBy(() -> new Route("r", "queue", "t", "e", BackendType.POSTGRES, Map.of(), false, Instant.EPOCH))
        .extracting("errorCode").isEqualTo("route.invalid_resource_kind");
  }

  @Test
  void blankTenantIsRejected() {
    assertThatThrownBy(() -> new Route("r", "analytics_store", " ", "e", BackendType.POSTGRES, Map.of(), false,
        Instant.EPOCH)).extracting("errorCode").isEqualTo("route.invalid");
  }

  @Test
  void modeParsesCaseInsensitivelyAndRejectsUnknownValues() {
    assertThat(Mode.fromWireName("SaaS")).contains(Mode.SAAS);
    assertThat(Mode.fromWireName(" lab ")).contains(Mode.LAB);
    assertThat(Mode.fromWireName("prod")).isEmpty();
    assertThat(Mode.fromWireName(null)).isEmpty();
  }

  @Test
  void backendTypesHaveLowerCaseWireNames() {
    assertThat(BackendType.fromWireName("DynamoDB")).isEqualTo(BackendType.DYNAMODB);
    assertThat(BackendType.COSMOS.wireName()).isEqualTo("cosmos");
    assertThatThrownBy(() -> BackendType.fromWireName("mongo")).extracting("errorCode")
        .isEqualTo("route.invalid_backend_type");
  }
}
