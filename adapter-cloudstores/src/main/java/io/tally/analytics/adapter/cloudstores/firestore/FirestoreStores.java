package io.tally.analytics.adapter.cloudstores.firestore;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.tally.analytics.adapter.cloudstores.BackendFailures;
import io.tally.analytics.adapter.cloudstores.PartitionedAnalyticsStore;
import io.tally.analytics.adapter.cloudstores.StoreSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Opens a Firestore store from a route's config ({@code project_id}, {@code collection_path},
 * {@code use_emulator} + {@code emulator_host}, {@code credentials_json}). With the emulator no credentials are
 * used; otherwise the service-account key of the route, or the application default credentials.
 */
public final class FirestoreStores {
  private FirestoreStores() {}

  /**
   * @param config decrypted route config
   * @param settings retention, scan limit, clock
   * @return the store; its client is closed with it
   */
  public static PartitionedAnalyticsStore open(Map<String, String> config, StoreSettings settings) {
    FirestoreOptions.Builder options = FirestoreOptions.newBuilder().setProjectId(config.get("project_id"));
    if (Boolean.parseBoolean(config.getOrDefault("use_emulator", "false"))) {
      options.setEmulatorHost(config.get("emulator_host"));
    } else {
      options.setCredentials(credentials(config));
    }
    Firestore db = BackendFailures.call("firestore", "open", () -> options.build().getService());
    return new PartitionedAnalyticsStore(new FirestorePartitions(db, config.get("collection_path")), settings);
  }

  private static GoogleCredentials credentials(Map<String, String> config) {
    try {
      String json = config.get("credentials_json");
      return json == null ? GoogleCredentials.getApplicationDefault()
          : GoogleCredentials.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      // The message of a credentials parse failure can quote the key material: keep only the type.
      throw BackendFailures.failure("firestore", "loading credentials", e);
    }
  }
}
