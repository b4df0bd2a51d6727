package io.tally.analytics.adapter.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.in.ManageRoutes.CreateRoute;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The route registry's wire format (snake_case, DESIGN appendix) and its mapping to the core types. */
final class RouteJson {
  private RouteJson() {}

  /** Body of {@code POST /routing/routes}. */
  record Registration(
      @JsonProperty("resource_kind") String resourceKind,
      @JsonProperty("tenant_id") String tenantId,
      @JsonProperty("env") String env,
      @JsonProperty("backend_type") String backendType,
      @JsonProperty("config") JsonNode config,
      @JsonProperty("required") Boolean required) {

    /**
     * @param headerTenant {@code X-Tenant-ID}, if sent; the body's {@code tenant_id} must agree with it and
     *     defaults to it
     */
    CreateRoute toCommand(Optional<String> headerTenant) {
      if (tenantId != null && headerTenant.isPresent() && !headerTenant.get().equals(tenantId)) {
        throw new RequestRejectedException("request.tenant_mismatch",
            "tenant_id in the body differs from the " + StoreHeaders.TENANT + " header");
      }
      String tenant = Optional.ofNullable(tenantId).or(() -> headerTenant).orElseThrow(() ->
          new TallyException(TallyException.Kind.INVALID, Route.INVALID_ROUTE,
              "tenant_id is required (in the body or " + StoreHeaders.TENANT
              + ")."));
      if (resourceKind == null) {
        throw new TallyException(TallyException.Kind.INVALID, Route.INVALID_RESOURCE_KIND,
            "resource_kind is required (analytics_store).");
      }
      if (env == null) {
        throw new TallyException(TallyException.Kind.INVALID, Route.INVALID_ROUTE, "env is required.");
      }
      return new CreateRoute(resourceKind, tenant, env, BackendType.fromWireName(backendType), configOf(config),
          required == null || required);
    }

    /** Config values are kept as text: JSON strings as they are, booleans and numbers as their literal. */
    private static Map<String, String> configOf(JsonNode config) {
      Map<String, String> values = new LinkedHashMap<>();
      if (config == null || config.isNull()) {
        return values;
      }
      if (!config.isObject()) {
        throw new TallyException(TallyException.Kind.MALFORMED, Route.INVALID_CONFIG, "config must be a JSON object.");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        JsonNode value = entry.getValue();
        if (!value.isValueNode() || value.isNull()) {
          throw new TallyException(TallyException.Kind.MALFORMED, Route.INVALID_CONFIG,
              "config." + entry.getKey() + " must be a string, number or boolean.");
        }
        values.put(entry.getKey(), value.asText());
      }
      return values;
    }
  }

  /** A route as the API shows it: secret config values replaced by {@code ***}. */
  record RouteView(
      @JsonProperty("route_id") String routeId,
      @JsonProperty("resource_kind") String resourceKind,
      @JsonProperty("tenant_id") String tenantId,
      @JsonProperty("env") String env,
      @JsonProperty("backend_type") String backendType,
      @JsonProperty("config") Map<String, String> config,
      @JsonProperty("required") boolean required,
      @JsonProperty("created_at") Instant createdAt) {

    static RouteView from(Route r) {
      return new RouteView(r.routeId(), r.resourceKind(), r.tenantId(), r.env(), r.backendType().wireName(),
          r.redactedConfig(), r.required(), r.createdAt());
    }
  }

  /** Answer of {@code GET /routing/routes}. */
  record RouteList(@JsonProperty("routes") List<RouteView> routes) {
    static RouteList from(List<Route> routes) {
      return new RouteList(routes.stream().map(RouteView::from).toList());
    }
  }
}
