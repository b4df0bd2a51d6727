package io.tally.analytics.adapter.cloudstores;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The emulators {@code scripts/services} starts on fixed loopback ports (docs/cloudstores.md), and the route
 * configs that point at them. A test whose emulator is down fails with the reason under {@code CI=true} and is
 * aborted (reported as skipped, with the reason) elsewhere.
 */
public final class Emulators {
  /** dynalite. */
  public static final int DYNAMODB_PORT = 4567;
  /** Our starter around @vercel/cosmosdb-server (HTTPS, our localhost certificate). */
  public static final int COSMOS_PORT = 8081;
  /** gcloud's cloud_firestore_emulator. */
  public static final int FIRESTORE_PORT = 8686;
  /** The Cosmos account key the emulator accepts (it checks none; any Base64 works). */
  public static final String COSMOS_KEY = "dGFsbHktdGVzdC1jb3Ntb3Mta2V5";

  private Emulators() {}

  /** @return a dynamodb route config for a fresh table on dynalite */
  public static Map<String, String> dynamodb() {
    require("dynalite (DynamoDB)", DYNAMODB_PORT);
    return Map.of("region", "us-east-1", "table_name", "events-" + unique(), "use_local", "true",
        "endpoint_override", "http://127.0.0.1:" + DYNAMODB_PORT);
  }

  /** @return a firestore route config for a fresh root collection on the emulator */
  public static Map<String, String> firestore() {
    require("the Firestore emulator", FIRESTORE_PORT);
    return Map.of("project_id", "tally-test", "collection_path", "events-" + unique(), "use_emulator", "true",
        "emulator_host", "127.0.0.1:" + FIRESTORE_PORT);
  }

  /** @return a cosmos route config for a fresh container on the emulator */
  public static Map<String, String> cosmos() {
    require("the Cosmos emulator", COSMOS_PORT);
    return Map.of("endpoint", "https://localhost:" + COSMOS_PORT + "/", "key", COSMOS_KEY, "database_id",
        "tally", "container_id", "events-" + unique());
  }

  /** @return a short random name part */
  public static String unique() {
    return UUID.randomUUID().toString().substring(0, 12);
  }

  private static void require(String name, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    } catch (IOException e) {
      String msg = name + " is not reachable on 127.0.0.1:" + port + " (" + e.getMessage()
          + "); start it with scripts/services";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg);
      }
      Assumptions.abort(msg);
    }
  }
}
