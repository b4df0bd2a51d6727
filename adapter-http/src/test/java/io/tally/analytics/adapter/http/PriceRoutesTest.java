package io.tally.analytics.adapter.http;

import static io.tally.analytics.adapter.http.ActorHeaders.actor;
import static io.tally.analytics.adapter.http.ApiFixture.ORG_A;
import static io.tally.analytics.adapter.http.HttpServerTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.audit.AuditRecord;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PriceRoutesTest {
  private static final Map<String, String> OPERATOR = actor("ops", "admin", "*");
  private static final Map<String, String> ORG_ADMIN = actor("alice", "admin", ORG_A);
  private static final String PRICES = "/analytics/v1/prices";
  private final ApiFixture api = new ApiFixture();

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> put(String body) {
    return api.send("PUT", PRICES, body, OPERATOR);
  }

  private static String price(String model, String from, String in, String out) {
    return "{\"modelId\": \"" + model + "\", \"effectiveFrom\": \"" + from + "\", \"inputMicrosPer1M\": " + in
        + ", \"outputMicrosPer1M\": " + out + "}";
  }

  @Test
  void anOperatorPutsListsAndCorrectsAPriceAndEveryChangeIsAudited() {
    HttpResponse<String> created = put(price("qwen-14b", "2026-01-01T00:00:00Z", "150000", "600000"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    JsonNode change = TestServer.json(created).at("/changes/0");
    assertThat(change.get("before").isNull()).isTrue();
    assertThat(change.at("/after/source").asText()).isEqualTo("api");
    assertThat(change.at("/after/inputMicrosPer1M").asLong()).isEqualTo(150_000);

    HttpResponse<String> override = put("{\"modelId\": \"qwen-14b\", \"effectiveFrom\": \"2026-02-01T00:00:00+01:00\","
        + " \"inputMicrosPer1M\": 100000, \"outputMicrosPer1M\": 400000, \"orgId\": \"" + ORG_A + "\"}");
    assertThat(override.statusCode()).as(override.body()).isEqualTo(200);
    JsonNode listed = TestServer.json(api.send("GET", PRICES + "?modelId=qwen-14b", null, OPERATOR));
    assertThat(listed.get("prices")).hasSize(2);
    assertThat(listed.at("/prices/0/orgId").isNull()).isTrue();
    assertThat(listed.at("/prices/1/orgId").asText()).isEqualTo(ORG_A);
    assertThat(listed.at("/prices/1/effectiveFrom").asText()).isEqualTo("2026-01-31T23:00:00Z");

    JsonNode corrected = TestServer.json(put(price("qwen-14b", "2026-01-01T00:00:00Z", "160000", "600000")));
    assertThat(corrected.at("/changes/0/before/inputMicrosPer1M").asLong()).isEqualTo(150_000);
    assertThat(corrected.at("/changes/0/after/inputMicrosPer1M").asLong()).isEqualTo(160_000);
    JsonNode again = TestServer.json(put(price("qwen-14b", "2026-01-01T00:00:00Z", "160000", "600000")));
    assertThat(again.get("changes")).isEmpty();
    assertThat(again.get("unchanged").asInt()).isEqualTo(1);

    List<AuditRecord> changes = api.audit.all().stream().filter(r -> r.action().equals("prices.changed")).toList();
    assertThat(changes).hasSize(3);
    assertThat(changes.get(1).scope()).isEqualTo("org:" + ORG_A);
    assertThat(changes.get(2).reason()).contains("before={inputMicrosPer1M=150000").contains("after={inputMicrosPer1M=160000");
    assertThat(changes).allSatisfy(r -> assertThat(r.actorSubject()).isEqualTo("ops"));
  }

  @Test
  void badInputGetsAStableCode() {
    assertError(put(price("bad model", "2026-01-01T00:00:00Z", "1", "1")), 422, "price.invalid_model_id");
    assertError(put(price("m", "yesterday", "1", "1")), 422, "price.invalid_effective_from");
    assertError(put(price("m", "1969-12-31T00:00:00Z", "1", "1")), 422, "price.invalid_effective_from");
    assertError(put(price("m", "2026-01-01T00:00:00", "1", "1")), 422, "price.invalid_effective_from");
    assertError(put(price("m", "2026-01-01T00:00:00Z", "-1", "1")), 422, "price.invalid_amount");
    assertError(put(price("m", "2026-01-01T00:00:00Z", "0.5", "1")), 422, "price.invalid_amount");
    assertError(put(price("m", "2026-01-01T00:00:00Z", "\"600000\"", "1")), 422, "price.invalid_amount");
    assertError(put(price("m", "2026-01-01T00:00:00Z", "1000000000001", "1")), 422, "price.invalid_amount");
    assertError(put(price("m", "2026-01-01T00:00:00Z", "99999999999999999999999", "1")), 422,
        "price.invalid_amount");
    assertError(put("{\"modelId\": \"m\", \"effectiveFrom\": \"2026-01-01T00:00:00Z\", \"inputMicrosPer1M\": 1}"),
        422, "price.invalid_amount");
    assertError(put(price("m", "2026-01-01T00:00:00Z", "1", "1").replace("}", ", \"orgId\": \"acme\"}")), 422,
        "price.invalid_org_id");
    assertThat(put("[1]").statusCode()).isBetween(400, 422);
    assertThat(put("{").statusCode()).isEqualTo(400);
    assertError(api.send("GET", PRICES + "?modelId=a%20b", null, OPERATOR), 422, "price.invalid_model_id");
    assertError(api.send("DELETE", PRICES + "?modelId=m", null, OPERATOR), 400, "request.missing_parameter");
    assertError(api.send("DELETE", PRICES + "?modelId=a%20b&effectiveFrom=2099-01-01T00:00:00Z", null, OPERATOR),
        422, "price.invalid_model_id");
    assertError(api.send("DELETE", PRICES + "?modelId=m&effectiveFrom=soon", null, OPERATOR), 422,
        "price.invalid_effective_from");
    assertThat(api.audit.all()).noneMatch(r -> r.action().equals("prices.changed"));
  }

  @Test
  void onlyFutureEntriesCanBeDeleted() {
    put(price("m", "2026-01-01T00:00:00Z", "1", "1"));
    put(price("m", "2099-01-01T00:00:00Z", "2", "2"));
    assertError(api.send("DELETE", PRICES + "?modelId=m&effectiveFrom=2026-01-01T00:00:00Z", null, OPERATOR), 409,
        "price.in_effect");
    assertError(api.send("DELETE", PRICES + "?modelId=m&effectiveFrom=2030-01-01T00:00:00Z", null, OPERATOR), 404,
        "price.not_found");
    HttpResponse<String> deleted = api.send("DELETE", PRICES + "?modelId=m&effectiveFrom=2099-01-01T00:00:00Z", null,
        OPERATOR);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(TestServer.json(deleted).at("/changes/0/after").isNull()).isTrue();
  }

  @Test
  void anOrganisationAdminIsNotAPriceAdmin() {
    assertError(api.send("GET", PRICES, null, ORG_ADMIN), 403, "auth.cross_org");
    assertError(api.send("PUT", PRICES, price("m", "2026-01-01T00:00:00Z", "1", "1"), ORG_ADMIN), 403,
        "auth.cross_org");
    assertError(api.send("GET", PRICES, null, actor("v", "viewer", "*")), 403, "auth.forbidden");
    assertError(api.send("GET", PRICES, null, Map.of()), 401, "auth.unauthenticated");
  }
}
