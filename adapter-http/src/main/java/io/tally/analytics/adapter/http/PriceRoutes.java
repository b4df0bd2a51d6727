package io.tally.analytics.adapter.http;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.http.Context;
import io.tally.analytics.adapter.http.PriceJson.ChangeReportView;
import io.tally.analytics.adapter.http.PriceJson.ListView;
import io.tally.analytics.adapter.http.PriceJson.PriceBody;
import io.tally.analytics.core.pricing.InvalidPriceException;
import io.tally.analytics.core.pricing.PriceKey;
import io.tally.analytics.core.rbac.Actor;
import io.tally.analytics.core.usage.UsageEventRules;
import io.tally.analytics.ports.in.ManagePrices;
import io.tally.analytics.ports.in.ManagePrices.PutPrices;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The price book routes ({@code /analytics/v1/prices}), for platform operators ({@code analytics:prices:admin}):
 * list (optionally one model), put one entry (a list price, or with {@code orgId} an organisation's override), and
 * delete an entry that has not taken effect yet (query {@code modelId}, {@code effectiveFrom}, optional
 * {@code orgId}).
 */
public final class PriceRoutes {
  /** The one path. */
  public static final String PRICES = "/analytics/v1/prices";
  /** Source recorded with an entry put through the API. */
  static final String SOURCE = "api";

  private final ManagePrices prices;
  private final JsonBodies bodies;

  /**
   * @param prices the price book use cases
   * @param bodies strict, size-limited body reader
   */
  public PriceRoutes(ManagePrices prices, JsonBodies bodies) {
    this.prices = Objects.requireNonNull(prices, "prices");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
  }

  /** @return the three price routes */
  public List<Route> routes() {
    return new RouteTable()
        .actor(GET, PRICES, this::list)
        .actor(PUT, PRICES, this::put)
        .actor(DELETE, PRICES, this::delete)
        .routes();
  }

  private void list(Context ctx, Actor actor) {
    Optional<String> model = QueryText.optional(ctx, "modelId").map(PriceRoutes::modelId);
    ctx.json(ListView.from(prices.list(actor, model)));
  }

  private void put(Context ctx, Actor actor) {
    PriceBody body = bodies.read(ctx, PriceBody.class);
    ctx.json(ChangeReportView.from(prices.put(new PutPrices(actor, List.of(body.toPrice()), SOURCE, false))));
  }

  private void delete(Context ctx, Actor actor) {
    PriceKey key = new PriceKey(modelId(QueryText.required(ctx, "modelId")),
        QueryText.optional(ctx, "orgId").map(PriceJson::orgOf),
        PriceJson.instant(QueryText.required(ctx, "effectiveFrom")));
    ctx.json(ChangeReportView.from(prices.delete(actor, key)));
  }

  private static String modelId(String text) {
    if (!UsageEventRules.isValidModelId(text)) {
      throw new InvalidPriceException(InvalidPriceException.INVALID_MODEL_ID,
          "modelId must match [A-Za-z0-9._:/@+-]{1,128}");
    }
    return text;
  }
}
