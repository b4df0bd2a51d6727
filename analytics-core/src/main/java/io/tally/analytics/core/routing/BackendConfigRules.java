package io.tally.analytics.core.routing;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.Retention;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The value rules of each backend's route config, checked when a route is created so that a typo is a 400 naming
 * the key, not a failure at the first ingest. Each rule mirrors the vendor's own limit (DynamoDB table names,
 * GCP project ids, Cosmos resource ids); every failure is {@value Route#INVALID_CONFIG} and names
 * {@code config.<key>}. Secret values are never echoed in a message.
 */
public final class BackendConfigRules {
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
  private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  private static final Pattern HTTP_URL = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?/?");
  private static final Pattern HTTPS_URL = Pattern.compile("https://[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?/?");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}");
  private static final Pattern GCP_PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_-]{1,100}");
  private static final Pattern COSMOS_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");

  private BackendConfigRules() {}

  /**
   * @param type the route's backend
   * @param config its config, keys already checked against the backend
   * @throws TallyException {@value Route#INVALID_CONFIG} naming the first bad key
   */
  public static void check(BackendType type, Map<String, String> config) {
    Retention.fromConfig(config);
    switch (type) {
      case DYNAMODB -> dynamodb(config);
      case FIRESTORE -> firestore(config);
      case COSMOS -> cosmos(config);
      case POSTGRES -> { }
    }
  }

  private static void dynamodb(Map<String, String> c) {
    match(c, "region", REGION, "an AWS region such as us-east-1");
    match(c, "table_name", TABLE, "3-255 letters, digits, _ . -");
    match(c, "endpoint_override", HTTP_URL, "an http(s) URL without a path");
    requiredWhenTrue(c, "use_local", "endpoint_override");
    if (c.containsKey("access_key_id") != c.containsKey("secret_access_key")) {
      String given = c.containsKey("access_key_id") ? "access_key_id" : "secret_access_key";
      String missing = given.equals("access_key_id") ? "secret_access_key" : "access_key_id";
      throw invalid(missing, "is required when config." + given + " is set");
    }
  }

  private static void firestore(Map<String, String> c) {
    match(c, "project_id", GCP_PROJECT, "a GCP project id (6-30 lower-case letters, digits, -)");
    match(c, "collection_path", COLLECTION, "one collection id of 1-100 letters, digits, _ -");
    match(c, "emulator_host", HOST_PORT, "host:port");
    requiredWhenTrue(c, "use_emulator", "emulator_host");
    String json = c.get("credentials_json");
    if (json != null && !json.trim().startsWith("{")) {
      throw invalid("credentials_json", "must be a service-account key (a JSON object)");
    }
  }

  private static void cosmos(Map<String, String> c) {
    match(c, "endpoint", HTTPS_URL, "the account's https URL, for example https://myaccount.documents.azure.com:443/");
    match(c, "database_id", COSMOS_ID, "1-255 letters, digits, _ -");
    match(c, "container_id", COSMOS_ID, "1-255 letters, digits, _ -");
    try {
      if (Base64.getDecoder().decode(c.get("key").trim()).length == 0) {
        throw invalid("key", "must not be empty");
      }
    } catch (IllegalArgumentException e) {
      throw invalid("key", "must be the account key (Base64)");
    }
  }

  private static void match(Map<String, String> c, String key, Pattern pattern, String expected) {
    String v = c.get(key);
    if (v != null && !pattern.matcher(v).matches()) {
      throw invalid(key, "must be " + expected);
    }
  }

  private static void requiredWhenTrue(Map<String, String> c, String flag, String key) {
    if ("true".equals(c.get(flag)) && !c.containsKey(key)) {
      throw invalid(key, "is required when " + flag + " is true");
    }
  }

  private static TallyException invalid(String key, String rule) {
    return new TallyException(TallyException.Kind.MALFORMED, Route.INVALID_CONFIG, "config." + key + " " + rule + ".");
  }
}
