package io.tally.analytics.app;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tally.analytics.adapter.http.HttpTracing;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * OpenTelemetry tracing of the server (the Java SDK with the OTLP/HTTP exporter, no agent), on when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set and a no-op otherwise. Spans: one per HTTP request ({@link HttpTracing}),
 * one per use-case call ({@link #traced}: a decorator, so core and ports know nothing of tracing), one per stream
 * batch, rollup run and export job ({@link #inSpan}), and one per database statement under whichever is current
 * (Jdbi's OpenTelemetry plugin, installed by {@link Database}).
 */
final class Tracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  static final String INSTRUMENTATION = "io.tally.analytics";

  private final OpenTelemetry openTelemetry;
  private final Optional<OpenTelemetrySdk> sdk;
  private final Tracer tracer;

  private Tracing(OpenTelemetry openTelemetry, Optional<OpenTelemetrySdk> sdk) {
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
  }

  /** @return tracing that records nothing */
  static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), Optional.empty());
  }

  /** @return the SDK exporting to the configured endpoint, or {@link #off()} */
  static Tracing start(Optional<TallyConfig.Tracing> config) {
    if (config.isEmpty()) {
      return off();
    }
    TallyConfig.Tracing c = config.get();
    String endpoint = c.otlpEndpoint().replaceAll("/+$", "") + "/v1/traces";
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), c.serviceName()))))
        .setSampler(sampler(c.sampler(), c.samplerArg()))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint)
            .setTimeout(Duration.ofSeconds(5)).build()).setScheduleDelay(Duration.ofSeconds(1)).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    LOG.atInfo().addKeyValue("endpoint", endpoint).addKeyValue("service_name", c.serviceName())
        .addKeyValue("sampler", c.sampler()).log("tracing on");
    return new Tracing(sdk, Optional.of(sdk));
  }

  static Sampler sampler(String name, double ratio) {
    return switch (name) {
      case "always_on" -> Sampler.alwaysOn();
      case "always_off" -> Sampler.alwaysOff();
      case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
      case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
      case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
      default -> Sampler.parentBased(Sampler.alwaysOn());
    };
  }

  /** @return whether spans are recorded and exported */
  boolean on() {
    return sdk.isPresent();
  }

  OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /**
   * @return {@code useCase} behind a decorator that runs each call of the interface's methods in a span named
   *     {@code <Interface>.<method>}, current during the call (so the statements it runs are its children)
   */
  <T> T traced(Class<T> type, T useCase) {
    if (!on()) {
      return useCase;
    }
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.invoke(useCase, args);
      }
      return inSpan(type.getSimpleName() + "." + method.getName(), SpanKind.INTERNAL, Attributes.empty(), () -> {
        try {
          return method.invoke(useCase, args);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw (Exception) e.getCause();
        }
      });
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /**
   * Runs {@code work} in a span that is current meanwhile (a root span when none is), with its trace and span ids in
   * the MDC for the log lines it writes; a failure is recorded on the span and rethrown as it was.
   */
  <T> T inSpan(String name, SpanKind kind, Attributes attributes, Callable<T> work) throws Exception {
    Span span = tracer.spanBuilder(name).setSpanKind(kind).setAllAttributes(attributes).startSpan();
    String previousTrace = MDC.get(HttpTracing.TRACE_ID);
    String previousSpan = MDC.get(HttpTracing.SPAN_ID);
    SpanContext sc = span.getSpanContext();
    try (Scope ignored = span.makeCurrent()) {
      if (sc.isValid()) {
        MDC.put(HttpTracing.TRACE_ID, sc.getTraceId());
        MDC.put(HttpTracing.SPAN_ID, sc.getSpanId());
      }
      return work.call();
    } catch (Exception | Error e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
      restore(HttpTracing.TRACE_ID, previousTrace);
      restore(HttpTracing.SPAN_ID, previousSpan);
    }
  }

  /** {@link #inSpan} for work that throws only unchecked exceptions. */
  <T> T inSpanUnchecked(String name, SpanKind kind, Attributes attributes, Callable<T> work) {
    try {
      return inSpan(name, kind, attributes, work);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** Exports what is buffered and stops the exporter; the last step of a shutdown. */
  @Override
  public void close() {
    sdk.ifPresent(s -> s.getSdkTracerProvider().shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS));
  }
}
