package io.tally.analytics.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.analytics.adapter.http.JsonBodies;
import io.tally.analytics.adapter.http.UsageEventJson;
import io.tally.analytics.adapter.rabbitmq.StreamMessage;
import io.tally.analytics.adapter.rabbitmq.UsageEventDecoder;
import io.tally.analytics.core.usage.UsageEventValidator;
import io.tally.analytics.core.usage.UsageEventWireFormat;
import io.tally.analytics.core.usage.ValidationResult;
import io.tally.analytics.core.usage.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * One wire format, one verdict: a random JSON document sent as one element of an HTTP batch and as one stream
 * message is either accepted as the same event on both paths or rejected with the same error codes. Both paths
 * run their real decoding code (HTTP: the strict body reader with exact numbers and {@link UsageEventJson};
 * stream: {@link UsageEventDecoder}) and then the same validator the ingest use case runs.
 */
class WireFormatAgreementProperties {
  private static final Instant NOW = Instant.parse("2026-10-03T00:00:00Z");
  private static final String ORG = "00000000-0000-0000-0000-0000000000a1";

  private final UsageEventValidator validator = UsageEventValidator.withDefaults();
  private final JsonBodies bodies = new JsonBodies(1 << 20);
  private final UsageEventDecoder decoder = new UsageEventDecoder();

  /** What a path made of a document: the accepted event, or the sorted error codes. */
  private record Verdict(Optional<Object> event, List<String> codes) {}

  @Property(tries = 2000)
  void httpAndStreamGiveEveryDocumentTheSameVerdict(@ForAll("documents") String document) {
    Verdict overHttp = overHttp(document);
    Verdict overStream = overStream(document);
    assertThat(overStream).as(document).isEqualTo(overHttp);
  }

  @Property(tries = 200)
  void aNestedValueInAnEventFieldIsRejectedOnBothPaths(@ForAll("nestedEvents") String document) {
    assertThat(overHttp(document).codes()).contains(UsageEventWireFormat.NESTED_VALUE);
    assertThat(overStream(document).codes()).contains(UsageEventWireFormat.NESTED_VALUE);
  }

  private Verdict overHttp(String document) {
    byte[] body = ("{\"events\": [" + document + "]}").getBytes(StandardCharsets.UTF_8);
    JsonNode element = bodies.readExactTree(body).get("events").get(0);
    UsageEventWireFormat.Read read = UsageEventJson.read(element);
    if (read instanceof UsageEventWireFormat.Refused refused) {
      return rejected(List.of(refused.violation()));
    }
    return validated(((UsageEventWireFormat.Parsed) read).candidate());
  }

  private Verdict overStream(String document) {
    UsageEventDecoder.Decoded decoded = decoder.decode(new StreamMessage(0,
        document.getBytes(StandardCharsets.UTF_8), Optional.of("application/json"), 0));
    if (decoded instanceof UsageEventDecoder.Unreadable unreadable) {
      return rejected(List.of(unreadable.violation()));
    }
    return validated(((UsageEventDecoder.Candidate) decoded).candidate());
  }

  private Verdict validated(io.tally.analytics.core.usage.UsageEventCandidate candidate) {
    ValidationResult result = validator.validate(candidate, NOW);
    if (result instanceof ValidationResult.Valid valid) {
      return new Verdict(Optional.of(valid.event()), List.of());
    }
    return rejected(((ValidationResult.Invalid) result).violations());
  }

  private static Verdict rejected(List<Violation> violations) {
    return new Verdict(Optional.empty(), violations.stream().map(Violation::errorCode).sorted().toList());
  }

  @Provide
  Arbitrary<String> documents() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, events()),
        net.jqwik.api.Tuple.of(1, json(3)));
  }

  @Provide
  Arbitrary<String> nestedEvents() {
    return Combinators.combine(Arbitraries.of(UsageEventWireFormat.FIELDS), nested()).flatAs((nestedField, value) -> {
      List<Arbitrary<String>> members = new ArrayList<>();
      for (String field : UsageEventWireFormat.FIELDS) {
        members.add(field.equals(nestedField) ? Arbitraries.just(quote(field) + ": " + value)
            : plausible(field).map(v -> quote(field) + ": " + v));
      }
      return Combinators.combine(members).as(l -> String.join(", ", l)).map(s -> "{" + s + "}");
    });
  }

  /** An event-shaped object: each appendix field absent, plausible, wrong in type, or nested. */
  private Arbitrary<String> events() {
    List<Arbitrary<Optional<String>>> members = new ArrayList<>();
    for (String field : UsageEventWireFormat.FIELDS) {
      members.add(Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(6, plausible(field).map(v -> Optional.of(quote(field) + ": " + v))),
          net.jqwik.api.Tuple.of(2, scalar().map(v -> Optional.of(quote(field) + ": " + v))),
          net.jqwik.api.Tuple.of(1, Arbitraries.just(Optional.<String>empty())),
          net.jqwik.api.Tuple.of(1, nested().map(v -> Optional.of(quote(field) + ": " + v)))));
    }
    Arbitrary<List<String>> extra = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6)
        .filter(n -> !UsageEventWireFormat.FIELDS.contains(n))
        .flatMap(n -> json(2).map(v -> quote(n) + ": " + v)).list().ofMaxSize(2).uniqueElements(s -> s.split(":")[0]);
    return Combinators.combine(Combinators.combine(members).as(l -> l), extra).as((fields, more) -> {
      List<String> all = new ArrayList<>();
      fields.forEach(f -> f.ifPresent(all::add));
      all.addAll(more);
      return all.stream().collect(Collectors.joining(", ", "{", "}"));
    });
  }

  private Arbitrary<String> plausible(String field) {
    return switch (field) {
      case "eventId", "actorId", "apiKeyId", "errorCode" -> Arbitraries.of("req-1", "a", "x y", "", "ü", "12")
          .map(WireFormatAgreementProperties::quote);
      case "orgId" -> Arbitraries.of(ORG, "not-a-uuid", ORG.toUpperCase()).map(WireFormatAgreementProperties::quote);
      case "occurredAt" -> Arbitraries.of("2026-10-02T10:15:30.123Z", "2026-10-02T10:15:30+05:30", "2026-10-02",
          "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z").map(WireFormatAgreementProperties::quote);
      case "modelId" -> Arbitraries.of("llama-3-70b", "gpt/4o", "bad model").map(WireFormatAgreementProperties::quote);
      case "status" -> Arbitraries.of("success", "error", "maybe").map(WireFormatAgreementProperties::quote);
      case "region" -> Arbitraries.of("eu-west-1", "").map(WireFormatAgreementProperties::quote);
      default -> numbers();
    };
  }

  /** Integers, negative zero, fractions, exponents and trailing zeros, as written. */
  private static Arbitrary<String> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(-5, 100_000).map(Object::toString),
        Arbitraries.of("-0", "0", "0.0", "5.0", "8.50", "1e3", "1E+3", "1.5e2", "-1.0", "12345678901234567890",
            "0.1000000000000000055511151231257827", "1e400", "9223372036854775808"));
  }

  private static Arbitrary<String> scalar() {
    return Arbitraries.oneOf(numbers(), Arbitraries.of("true", "false", "null"),
        Arbitraries.strings().ofMaxLength(8).map(WireFormatAgreementProperties::quote));
  }

  private static Arbitrary<String> nested() {
    return Arbitraries.of("{}", "[]", "{\"value\": 812}", "[1, 2]", "[{\"a\": null}]");
  }

  /** Any JSON value up to a depth. */
  private static Arbitrary<String> json(int depth) {
    if (depth == 0) {
      return scalar();
    }
    Arbitrary<String> inner = Arbitraries.lazy(() -> json(depth - 1));
    Arbitrary<String> array = inner.list().ofMaxSize(3).map(l -> String.join(", ", l)).map(s -> "[" + s + "]");
    Arbitrary<String> object = Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(4), inner)
        .as((k, v) -> quote(k) + ": " + v).list().ofMaxSize(3).uniqueElements(s -> s.split(":")[0])
        .map(l -> "{" + String.join(", ", l) + "}");
    return Arbitraries.oneOf(scalar(), array, object);
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
