package io.tally.analytics.adapter.cloudstores;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  /**
   * @param project a GCP project id unique to the test class (the emulator keeps one database per project, and
   *     {@link #resetFirestore} empties only that one)
   * @return a firestore route config for a fresh root collection on the emulator
   */
  public static Map<String, String> firestore(String project) {
    require("the Firestore emulator", FIRESTORE_PORT);
    return Map.of("project_id", project, "collection_path", "events-" + unique(), "use_emulator", "true",
        "emulator_host", "127.0.0.1:" + FIRESTORE_PORT);
  }

  /** Deletes every document of {@code project} on the emulator (its DELETE endpoint); other projects stay. */
  public static void resetFirestore(String project) {
    try {
      HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + FIRESTORE_PORT + "/emulator/v1/projects/" + project + "/databases/(default)/documents"))
          .DELETE().build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("Firestore emulator reset answered " + r.statusCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
