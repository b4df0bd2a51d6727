package io.tally.analytics.archfixture.core;

import io.tally.analytics.archfixture.Planted;
import java.net.http.HttpClient;

@Planted("core uses an infrastructure library: java.net.http")
public class HttpCallingPricer {
  private final HttpClient client = HttpClient.newHttpClient();

  public HttpClient client() {
    return client;
  }
}
