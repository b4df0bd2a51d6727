package io.tally.analytics.core.analyticsevent;

import static io.tally.analytics.core.analyticsevent.AnalyticsEvents.aPageview;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.analytics.core.TallyException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalyticsEventTest {
  private static void rejects(AnalyticsEvent.Builder b, String code) {
    assertThatThrownBy(b::build).isInstanceOf(TallyException.class).extracting("errorCode").isEqualTo(code);
  }

  @Test
  void appendixPageviewIsValid() {
    AnalyticsEvent e = aPageview().userId("u1").build();
    assertThat(e.attribution().utmSource()).contains("google");
    assertThat(e.payload()).containsEntry("url", "https://example.com");
    assertThat(e.userId()).contains("u1");
  }

  @Test
  void identifiersAreChecked() {
    rejects(aPageview().eventId(" "), "analytics_event.invalid_event_id");
    rejects(aPageview().tenantId(null), "analytics_event.invalid_tenant_id");
    rejects(aPageview().projectId("x".repeat(129)), "analytics_event.invalid_project_id");
    rejects(aPageview().userId("a\nb"), "analytics_event.invalid_identity");
    rejects(aPageview().eventType("page view"), "analytics_event.invalid_event_type");
    rejects(aPageview().occurredAt(null), "analytics_event.invalid_occurred_at");
  }

  @Test
  void attributionAndDimensionsAreChecked() {
    assertThatThrownBy(() -> new Attribution(Optional.of(""), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty())).extracting("errorCode").isEqualTo("analytics_event.invalid_attribution");
    assertThatThrownBy(() -> new Dimensions(Optional.empty(), Optional.of("s".repeat(257)), Optional.empty(),
        Optional.empty())).extracting("errorCode").isEqualTo("analytics_event.invalid_dimensions");
  }

  @Test
  void payloadAcceptsJsonLikeValuesAndIsDeeplyImmutable() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("list", new ArrayList<>(List.of(1, 2.5, true, "x", new BigDecimal("1.10"))));
    Map<String, Object> payload = new HashMap<>(Map.of("nested", nested, "n", 3L));
    AnalyticsEvent e = aPageview().payload(payload).build();
    nested.put("later", "mutation");
    assertThat(e.payload().get("nested")).isEqualTo(Map.of("list", List.of(1, 2.5, true, "x",
        new BigDecimal("1.10"))));
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) ((Map<String, Object>) e.payload().get("nested")).get("list");
    assertThatThrownBy(() -> list.add(4)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void payloadLimitsAreEnforced() {
    Map<String, Object> deep = Map.of("v", 1);
    for (int i = 0; i < EventPayload.MAX_DEPTH; i++) {
      deep = Map.of("d", deep);
    }
    rejects(aPageview().payload(deep), "analytics_event.invalid_payload");
    Map<String, Object> many = new HashMap<>();
    for (int i = 0; i <= EventPayload.MAX_KEYS; i++) {
      many.put("k" + i, i);
    }
    rejects(aPageview().payload(many), "analytics_event.invalid_payload");
    rejects(aPageview().payload(Map.of("s", "x".repeat(EventPayload.MAX_STRING_LENGTH + 1))),
        "analytics_event.invalid_payload");
    Map<String, Object> big = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      big.put("k" + i, "\"".repeat(4000));
    }
    rejects(aPageview().payload(big), "analytics_event.invalid_payload");
    rejects(aPageview().payload(Map.of("nan", Double.NaN)), "analytics_event.invalid_payload");
    rejects(aPageview().payload(Map.of("obj", new Object())), "analytics_event.invalid_payload");
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("x", null);
    rejects(aPageview().payload(withNull), "analytics_event.invalid_payload");
  }

  @Test
  void payloadAtTheDepthLimitIsAccepted() {
    Map<String, Object> deep = Map.of("v", 1);
    for (int i = 1; i < EventPayload.MAX_DEPTH; i++) {
      deep = Map.of("d", deep);
    }
    assertThat(aPageview().payload(deep).build().payload()).isEqualTo(deep);
  }
}
