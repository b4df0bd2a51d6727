package io.tally.analytics.ports.service;

import static io.tally.analytics.ports.testdata.AnalyticsEventTestData.anEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import io.tally.analytics.core.analyticsevent.AggregationSpec;
import io.tally.analytics.core.analyticsevent.AnalyticsQuery;
import io.tally.analytics.core.analyticsevent.Attribution;
import io.tally.analytics.core.analyticsevent.Dimensions;
import io.tally.analytics.core.analyticsevent.EventFilter;
import io.tally.analytics.core.rbac.AccessDeniedException;
import io.tally.analytics.core.rbac.AccessPolicy;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.routing.BackendType;
import io.tally.analytics.core.routing.MissingRouteException;
import io.tally.analytics.core.routing.Mode;
import io.tally.analytics.ports.in.AnalyticsEvents.NewEvent;
import io.tally.analytics.ports.in.RoutedResult;
import io.tally.analytics.ports.memory.InMemoryAnalyticsStore;
import io.tally.analytics.ports.memory.InMemoryAnalyticsStoreProvider;
import io.tally.analytics.ports.memory.InMemoryAuditLog;
import io.tally.analytics.ports.memory.InMemoryRouteRegistry;
import io.tally.analytics.ports.out.AnalyticsStoreProvider;
import io.tally.analytics.ports.testdata.Actors;
import io.tally.analytics.ports.testdata.RouteTestData;
import io.tally.analytics.ports.testdata.SequentialIds;
import io.tally.analytics.ports.testdata.MutableTimeSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AnalyticsEventsServiceTest {
  private final MutableTimeSource clock = MutableTimeSource.standard();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final InMemoryRouteRegistry routes = new InMemoryRouteRegistry();
  private final InMemoryAnalyticsStore postgres = new InMemoryAnalyticsStore();
  private final AnalyticsEventsService service = new AnalyticsEventsService(
      new AuditedAccessGuard(AccessPolicy.standard(), audit, clock), routes,
      new InMemoryAnalyticsStoreProvider().with(BackendType.POSTGRES, postgres), new SequentialIds("ev"), clock,
      "staging");
  private final Actor writer = Actors.tenantMember("t_system", "analytics:store:write", "analytics:store:read",
      "analytics:store:delete");

  private static NewEvent pageview(String tenant) {
    return new NewEvent(Optional.empty(), tenant, "p1", Optional.of("u1"), Optional.empty(), Optional.empty(),
        Optional.empty(), "pageview", Optional.empty(), Attribution.none(), Dimensions.none(),
        Map.of("url", "https://example.com"));
  }

  @ParameterizedTest
  @EnumSource(value = Mode.class, names = {"SAAS", "ENTERPRISE", "SYSTEM"})
  void withoutARouteNonLabModesAreUnavailableWithMissingRoute(Mode mode) {
    assertThatThrownBy(() -> service.ingest(writer, mode, pageview("t_system")))
        .isInstanceOfSatisfying(MissingRouteException.class, e -> {
          assertThat(e.kind()).isEqualTo(io.tally.analytics.core.TallyException.Kind.UNAVAILABLE);
          assertThat(e.errorCode()).isEqualTo("analytics_store.missing_route");
          assertThat(e.getMessage()).isEqualTo("No analytics_store route configured for tenant=t_system, "
              + "env=staging, mode=" + mode.wireName() + ". Configure via /routing/routes with backend_type "
              + "(firestore|dynamodb|cosmos|postgres).");
        });
    assertThat(postgres.size()).isZero();
  }

  @Test
  void labWithoutARouteWarnsAndStoresNothing() {
    RoutedResult<String> r = service.ingest(writer, Mode.LAB, pageview("t_system"));
    assertThat(r.routed()).isFalse();
    assertThat(r.labWarning().orElseThrow()).contains("tenant=t_system").contains("env=staging");
    assertThat(r.value()).isEqualTo("ev-1");
    assertThat(postgres.size()).isZero();
    RoutedResult<?> q = service.query(writer, Mode.LAB, AnalyticsQuery.firstPage(EventFilter.allOf("t_system"), 10));
    assertThat(q.labWarning()).isPresent();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withARouteEveryModeStoresInTheRoutedBackend(Mode mode) {
    routes.save(RouteTestData.aPostgresRoute("r1", "t_system", "staging"));
    RoutedResult<String> r = service.ingest(writer, mode, pageview("t_system"));
    assertThat(r.routed()).isTrue();
    assertThat(postgres.size()).isEqualTo(1);
    var page = service.query(writer, mode, AnalyticsQuery.firstPage(EventFilter.allOf("t_system"), 10)).value();
    assertThat(page.records().get(0).eventId()).isEqualTo(r.value());
    assertThat(page.records().get(0).occurredAt()).isEqualTo(clock.now());
  }

  @Test
  void aRouteForAnotherEnvDoesNotCount() {
    routes.save(RouteTestData.aPostgresRoute("r1", "t_system", "prod"));
    assertThatThrownBy(() -> service.ingest(writer, Mode.SAAS, pageview("t_system")))
        .isInstanceOf(MissingRouteException.class);
  }

  @Test
  void aRouteToAnUnconfiguredBackendIsAnInfrastructureFault() {
    routes.save(RouteTestData.aCosmosRoute("r1", "t_system", "staging"));
    assertThatThrownBy(() -> service.ingest(writer, Mode.SAAS, pageview("t_system")))
        .isInstanceOf(TallyException.class).extracting("errorCode")
        .isEqualTo(AnalyticsStoreProvider.BACKEND_UNAVAILABLE);
  }

  @Test
  void otherTenantsAreDeniedBeforeAnyRouteLookup() {
    assertThatThrownBy(() -> service.ingest(writer, Mode.SAAS, pageview("t_other")))
        .isInstanceOf(AccessDeniedException.class).extracting("errorCode").isEqualTo("auth.cross_org");
    assertThat(audit.all().get(0).decision()).isEqualTo("deny");
  }

  @Test
  void readersCannotDelete() {
    routes.save(RouteTestData.aPostgresRoute("r1", "t_system", "staging"));
    Actor viewer = Actors.tenantMember("t_system", "viewer");
    assertThatThrownBy(() -> service.delete(viewer, Mode.SAAS, "t_system", "e1"))
        .extracting("errorCode").isEqualTo("auth.forbidden");
  }

  @Test
  void aggregateAndDeletesGoThroughTheRoute() {
    routes.save(RouteTestData.aPostgresRoute("r1", "t_system", "staging"));
    postgres.ingest(anEvent().forTenant("t_system").withId("a").byUser("u1").build());
    postgres.ingest(anEvent().forTenant("t_system").withId("b").byUser("u1").build());
    postgres.ingest(anEvent().forTenant("t_system").withId("c").build());
    var agg = service.aggregate(writer, Mode.SYSTEM, AggregationSpec.parse("pageviews", List.of("utm_source"),
        Optional.empty()), EventFilter.allOf("t_system")).value();
    assertThat(agg.total()).isEqualTo(3);
    assertThat(service.delete(writer, Mode.SYSTEM, "t_system", "c").value()).isTrue();
    assertThat(service.deleteByUser(writer, Mode.SYSTEM, "t_system", "u1").value()).isEqualTo(2L);
    assertThat(postgres.size()).isZero();
    assertThat(audit.all()).extracting(r -> r.action()).containsExactly("analytics.aggregate", "analytics.delete",
        "analytics.delete_by_user");
  }

  @Test
  void clientSuppliedIdIsKept() {
    routes.save(RouteTestData.aPostgresRoute("r1", "t_system", "staging"));
    NewEvent withId = new NewEvent(Optional.of("client-1"), "t_system", "p1", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), "pageview", Optional.empty(), Attribution.none(), Dimensions.none(),
        Map.of());
    assertThat(service.ingest(writer, Mode.SAAS, withId).value()).isEqualTo("client-1");
  }

  private AnalyticsEventsService failingBackend(boolean required, TallyException failure) {
    InMemoryRouteRegistry registry = new InMemoryRouteRegistry();
    io.tally.analytics.core.routing.Route r = RouteTestData.aCosmosRoute("r-opt", "t_system", "staging");
    registry.save(new io.tally.analytics.core.routing.Route(r.routeId(), r.resourceKind(), r.tenantId(), r.env(),
        r.backendType(), r.config(), required, r.createdAt()));
    AnalyticsStoreProvider failing = route -> {
      throw failure;
    };
    return new AnalyticsEventsService(new AuditedAccessGuard(AccessPolicy.standard(), audit, clock), registry,
        failing, new SequentialIds("ev"), clock, "staging");
  }

  @Test
  void anOptionalRouteWhoseBackendFailsAnswersLikeLabModeAndARequiredOnePropagates() {
    TallyException down = new TallyException(TallyException.Kind.UNAVAILABLE, AnalyticsStoreProvider.BACKEND_ERROR,
        "cosmos failed");
    RoutedResult<String> tolerated = failingBackend(false, down).ingest(writer, Mode.SAAS, pageview("t_system"));
    assertThat(tolerated.routed()).isFalse();
    assertThat(tolerated.labWarning().orElseThrow()).contains("required=false").contains("r-opt");
    assertThat(tolerated.value()).isEqualTo("ev-1");
    RoutedResult<Long> erased = failingBackend(false, down).deleteByUser(writer, Mode.SAAS, "t_system", "u1");
    assertThat(erased.value()).isZero();
    assertThat(erased.labWarning()).isPresent();

    assertThatThrownBy(() -> failingBackend(true, down).ingest(writer, Mode.SAAS, pageview("t_system")))
        .isSameAs(down);
    TallyException tooBroad = new TallyException(TallyException.Kind.INVALID, "query.too_broad", "narrow the range");
    assertThatThrownBy(() -> failingBackend(false, tooBroad).aggregate(writer, Mode.SAAS,
        AggregationSpec.parse("events", List.of(), Optional.empty()), EventFilter.allOf("t_system")))
        .isSameAs(tooBroad);
  }
}
