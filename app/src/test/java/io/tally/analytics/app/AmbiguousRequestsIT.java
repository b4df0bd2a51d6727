package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.analytics.adapter.http.RawHttp;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8, finding 5: a duplicated identity, tenant or authorization header was resolved by "the first one wins",
 * and a bare LF inside the header block started a header of its own. Both are refused with 400 now, before any
 * identity is read from them.
 */
class AmbiguousRequestsIT {
  static final String ORG = "00000000-0000-0000-0000-0000000005a1";
  static final String USAGE = "/analytics/v1/orgs/" + ORG + "/usage?start=2026-10-01T00:00:00Z"
      + "&end=2026-10-02T00:00:00Z";
  static final String IDENTITY = "X-Actor-Subject: alice\r\nX-Actor-Roles: viewer\r\nX-Actor-Orgs: " + ORG + "\r\n";

  @RegisterExtension
  static final FreshTally SERVER = new FreshTally(Map.of());

  final RunningTally tally = SERVER.tally();
  final FreshDatabase database = SERVER.database();

  @ParameterizedTest
  @ValueSource(strings = {"X-Actor-Orgs: *", "X-Actor-Roles: admin", "X-Actor-Subject: mallory",
      "Authorization: Bearer a.b.c\r\nAuthorization: Bearer x.y.z", "X-Tenant-ID: t1\r\nX-Tenant-ID: t2",
      "x-actor-orgs: *"})
  void aDuplicatedIdentityTenantOrAuthorizationHeaderIs400(String extra) {
    String response = raw("GET " + USAGE + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + IDENTITY
        + extra + "\r\n\r\n");
    assertThat(response).as(response).startsWith("HTTP/1.1 400 ").contains("request.ambiguous_header");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Actor-Subject: alice\nX-Actor-Roles: viewer\r\nX-Actor-Orgs: " + ORG + "\r\n",
      "X-Actor-Subject: alice\r\nX-Actor-Roles: viewer\nX-Actor-Orgs: " + ORG + "\n"})
  void aBareLfInTheHeaderBlockIs400(String headers) {
    String response = raw("GET " + USAGE + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers
        + "\r\n");
    assertThat(response).as(response).startsWith("HTTP/1.1 400 ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "X-Request-Id: a\r\nX-Request-Id: b\r\n", "Accept: a/b\r\nAccept: c/d\r\n"})
  void otherHeadersMayRepeat(String extra) {
    String response = raw("GET " + USAGE + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + IDENTITY
        + extra + "\r\n");
    assertThat(response).as(response).startsWith("HTTP/1.1 200 ");
  }

  private String raw(String request) {
    return RawHttp.exchange(URI.create(tally.baseUrl), request);
  }

}
