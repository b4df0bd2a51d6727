package io.tally.analytics.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.Retention;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BackendConfigRulesTest {
  private static final Map<String, String> DYNAMO = Map.of("region", "us-east-1", "table_name", "events",
      "use_local", "true", "endpoint_override", "http://127.0.0.1:4567", "ttl_days", "30");
  private static final Map<String, String> FIRESTORE = Map.of("project_id", "tally-test", "collection_path",
      "analytics", "use_emulator", "true", "emulator_host", "127.0.0.1:8086");
  private static final Map<String, String> COSMOS = Map.of("endpoint", "https://localhost:8081/", "key",
      "c2VjcmV0LWtleQ==", "database_id", "analytics", "container_id", "events");

  private static Route route(BackendType type, Map<String, String> config) {
    return new Route("r1", "analytics_store", "t1", "staging", type, config, true, Instant.EPOCH);
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> m = new HashMap<>(base);
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
    return m;
  }

  @Test
  void theEmulatorConfigsOfTheDocsAreAccepted() {
    assertThatNoException().isThrownBy(() -> route(BackendType.DYNAMODB, DYNAMO));
    assertThatNoException().isThrownBy(() -> route(BackendType.FIRESTORE, FIRESTORE));
    assertThatNoException().isThrownBy(() -> route(BackendType.COSMOS, COSMOS));
    assertThat(Retention.fromConfig(DYNAMO)).contains(new Retention(30));
  }

  @ParameterizedTest
  @CsvSource({
      "DYNAMODB, region, US_EAST",
      "DYNAMODB, table_name, ab",
      "DYNAMODB, endpoint_override, ftp://x",
      "DYNAMODB, endpoint_override, ",
      "DYNAMODB, ttl_days, 0",
      "DYNAMODB, ttl_days, 36501",
      "DYNAMODB, ttl_days, thirty",
      "DYNAMODB, access_key_id, AKIA",
      "FIRESTORE, project_id, P",
      "FIRESTORE, collection_path, a/b",
      "FIRESTORE, emulator_host, ",
      "FIRESTORE, credentials_json, not-json",
      "COSMOS, endpoint, http://localhost:8081",
      "COSMOS, key, not base64!",
      "COSMOS, database_id, a/b",
      "COSMOS, container_id, a#b"})
  void aBadValueIsRejectedNamingItsKey(BackendType type, String key, String value) {
    Map<String, String> base = switch (type) {
      case DYNAMODB -> DYNAMO;
      case FIRESTORE -> FIRESTORE;
      default -> COSMOS;
    };
    assertThatThrownBy(() -> route(type, with(base, key, value)))
        .isInstanceOf(TallyException.class)
        .hasMessageContaining("config." + key)
        .extracting(e -> ((TallyException) e).errorCode()).isEqualTo(Route.INVALID_CONFIG);
  }

  @Test
  void secretValuesAreNeverEchoedInTheMessage() {
    assertThatThrownBy(() -> route(BackendType.COSMOS, with(COSMOS, "key", "hunter2 hunter2!")))
        .hasMessageNotContaining("hunter2");
    assertThat(BackendType.DYNAMODB.secretKeys()).contains("secret_access_key", "access_key_id");
    assertThat(BackendType.FIRESTORE.secretKeys()).contains("credentials_json");
  }
}
