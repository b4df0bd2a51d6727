package io.tally.analytics.adapter.postgres;

import static io.tally.analytics.adapter.postgres.AdapterFaults.translate;

import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.Route;
import io.tally.analytics.ports.out.RouteRegistry;
import io.tally.analytics.ports.out.SecretSealer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The route registry in {@code analytics.routes}, config as a jsonb object. The unique key on
 * (resource_kind, tenant_id, env) is the port's "one route per key" rule; {@link #save} upserts on it, so a
 * second route for a key replaces the first in one statement, also when two saves race.
 *
 * <p>Secret config values ({@link BackendType#secretKeys()}: the Cosmos key, AWS keys, a Firestore service-account
 * key) are sealed by the {@link SecretSealer} before they reach the jsonb column and opened when read, each bound to
 * its tenant, env and key; {@link #resealAll()} upgrades rows written in clear or under an older key.
 */
public final class PostgresRouteRegistry implements RouteRegistry {

  private static final String COLUMNS =
      "route_id, resource_kind, tenant_id, env, backend_type, config, required, created_at";

  // A route keeping its id but moving to another key must leave its old key, or the upsert below would
  // collide with it on the primary key.
  private static final String LEAVE_OLD_KEY =
      """
      DELETE FROM analytics.routes
       WHERE route_id = :routeId
         AND (resource_kind, tenant_id, env) <> (:resourceKind, :tenantId, :env)
      """;

  private static final String UPSERT =
      """
      INSERT INTO analytics.routes (route_id, resource_kind, tenant_id, env, backend_type, config, required, created_at)
      VALUES (:routeId, :resourceKind, :tenantId, :env, :backendType, :config::jsonb, :required, :createdAt)
      ON CONFLICT ON CONSTRAINT routes_key DO UPDATE
         SET route_id = EXCLUDED.route_id,
             backend_type = EXCLUDED.backend_type,
             config = EXCLUDED.config,
             required = EXCLUDED.required,
             created_at = EXCLUDED.created_at
      """;

  private static final String BY_ID = "SELECT " + COLUMNS + " FROM analytics.routes WHERE route_id = :routeId";

  private static final String LIST =
      "SELECT " + COLUMNS + " FROM analytics.routes"
          + " WHERE resource_kind = :resourceKind AND (CAST(:tenantId AS text) IS NULL OR tenant_id = :tenantId)"
          + " ORDER BY tenant_id, env, route_id";

  private static final String LOOKUP =
      "SELECT " + COLUMNS + " FROM analytics.routes"
          + " WHERE resource_kind = :resourceKind AND tenant_id = :tenantId AND env = :env";

  private static final String DELETE = "DELETE FROM analytics.routes WHERE route_id = :routeId";

  private static final String RESEAL = "UPDATE analytics.routes SET config = :config::jsonb WHERE route_id = :routeId";

  private final Jdbi jdbi;
  private final SecretSealer sealer;

  /**
   * @param jdbi connected to a database migrated by {@link PostgresMigrator}
   * @param sealer encrypts secret config values at rest
   */
  public PostgresRouteRegistry(Jdbi jdbi, SecretSealer sealer) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.sealer = Objects.requireNonNull(sealer, "sealer");
  }

  /**
   * Seals every secret stored in clear or under a previous key with the current key (run at start, which is how
   * a key rotation completes).
   *
   * @return how many routes were rewritten
   */
  public int resealAll() {
    return translate("route reseal", () -> jdbi.inTransaction(h -> {
      int rewritten = 0;
      for (StoredRow r : h.createQuery("SELECT " + COLUMNS + " FROM analytics.routes FOR UPDATE")
          .map((rs, ctx) -> new StoredRow(rs)).list()) {
        boolean stale = r.type().secretKeys().stream()
            .anyMatch(k -> r.config().containsKey(k) && sealer.needsResealing(r.config().get(k)));
        if (stale) {
          Map<String, String> clear = convert(r.config(), r.tenant(), r.env(), r.type(), sealer::open);
          h.createUpdate(RESEAL).bind("routeId", r.routeId())
              .bind("config", JsonbCodec.write(convert(clear, r.tenant(), r.env(), r.type(), sealer::seal)))
              .execute();
          rewritten++;
        }
      }
      return rewritten;
    }));
  }

  @Override
  public Route save(Route route) {
    Route stored = new Route(route.routeId(), route.resourceKind(), route.tenantId(), route.env(),
        route.backendType(), route.config(), route.required(), UtcTimestamps.storable(route.createdAt()));
    return translate("route save", () -> jdbi.inTransaction(h -> {
      h.createUpdate(LEAVE_OLD_KEY)
          .bind("routeId", stored.routeId())
          .bind("resourceKind", stored.resourceKind())
          .bind("tenantId", stored.tenantId())
          .bind("env", stored.env())
          .execute();
      h.createUpdate(UPSERT)
          .bind("routeId", stored.routeId())
          .bind("resourceKind", stored.resourceKind())
          .bind("tenantId", stored.tenantId())
          .bind("env", stored.env())
          .bind("backendType", stored.backendType().wireName())
          .bind("config", JsonbCodec.write(sealed(stored.config(), stored)))
          .bind("required", stored.required())
          .bind("createdAt", UtcTimestamps.bindable(stored.createdAt()))
          .execute();
      return stored;
    }));
  }

  @Override
  public Optional<Route> findById(String routeId) {
    return translate("route find", () -> jdbi.withHandle(h ->
        h.createQuery(BY_ID).bind("routeId", routeId).map(this::route).findOne()));
  }

  @Override
  public List<Route> list(String resourceKind, Optional<String> tenantId) {
    return translate("route list", () -> jdbi.withHandle(h -> h.createQuery(LIST)
        .bind("resourceKind", resourceKind)
        .bind("tenantId", tenantId.orElse(null))
        .map(this::route)
        .list()));
  }

  @Override
  public boolean delete(String routeId) {
    return translate("route delete", () -> jdbi.withHandle(h ->
        h.createUpdate(DELETE).bind("routeId", routeId).execute() > 0));
  }

  @Override
  public Optional<Route> lookup(String resourceKind, String tenantId, String env) {
    return translate("route lookup", () -> jdbi.withHandle(h -> h.createQuery(LOOKUP)
        .bind("resourceKind", resourceKind)
        .bind("tenantId", tenantId)
        .bind("env", env)
        .map(this::route)
        .findOne()));
  }

  private Route route(ResultSet rs, StatementContext ctx) throws SQLException {
    BackendType type = BackendType.fromWireName(rs.getString("backend_type"));
    Map<String, String> config = convert(JsonbCodec.readStrings(rs.getString("config")), rs.getString("tenant_id"),
        rs.getString("env"), type, sealer::open);
    return new Route(rs.getString("route_id"), rs.getString("resource_kind"), rs.getString("tenant_id"),
        rs.getString("env"), type, config, rs.getBoolean("required"), UtcTimestamps.read(rs, "created_at"));
  }

  /** A row as stored (secret values sealed): only for resealing, never turned into a {@link Route}. */
  private record StoredRow(String routeId, String tenant, String env, BackendType type, Map<String, String> config) {
    StoredRow(ResultSet rs) throws SQLException {
      this(rs.getString("route_id"), rs.getString("tenant_id"), rs.getString("env"),
          BackendType.fromWireName(rs.getString("backend_type")), JsonbCodec.readStrings(rs.getString("config")));
    }
  }

  private Map<String, String> sealed(Map<String, String> config, Route r) {
    return convert(config, r.tenantId(), r.env(), r.backendType(), sealer::seal);
  }

  private static Map<String, String> convert(Map<String, String> config, String tenant, String env, BackendType type,
      java.util.function.BinaryOperator<String> op) {
    Map<String, String> out = new TreeMap<>(config);
    for (String k : type.secretKeys()) {
      if (out.containsKey(k)) {
        out.put(k, op.apply(out.get(k), context(tenant, env, k)));
      }
    }
    return out;
  }

  private static String context(String tenant, String env, String key) {
    return "analytics_store|" + tenant + "|" + env + "|" + key;
  }
}
