package io.tally.analytics.adapter.http;

import io.javalin.http.Context;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.Objects;
import org.slf4j.MDC;

/**
 * One server span per HTTP request, current while the handler runs so that the use case's span and the database
 * calls under it become its children. A W3C {@code traceparent} from the caller is continued. The trace and span
 * ids go into the MDC next to the request id, so every log line of the request carries them. With tracing off
 * ({@link OpenTelemetry#noop()}) the span is invalid and nothing is added to the MDC.
 */
public final class HttpTracing {
  /** MDC key of the trace id (32 hex digits). */
  public static final String TRACE_ID = "trace_id";
  /** MDC key of the current span id (16 hex digits). */
  public static final String SPAN_ID = "span_id";

  private static final String SPAN = "tally.span";
  private static final String SCOPE = "tally.span_scope";
  private static final TextMapGetter<Context> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Context ctx) {
      return List.copyOf(ctx.headerMap().keySet());
    }

    @Override
    public String get(Context ctx, String key) {
      return ctx == null ? null : ctx.header(key);
    }
  };

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;

  /** @param openTelemetry the process's OpenTelemetry ({@link OpenTelemetry#noop()} when tracing is off) */
  public HttpTracing(OpenTelemetry openTelemetry) {
    this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    this.tracer = openTelemetry.getTracer("io.tally.analytics.http");
  }

  /** Starts the request's span and makes it current on this thread. */
  void begin(Context ctx) {
    io.opentelemetry.context.Context parent = openTelemetry.getPropagators().getTextMapPropagator()
        .extract(io.opentelemetry.context.Context.root(), ctx, HEADERS);
    Span span = tracer.spanBuilder("HTTP " + ctx.method().name()).setParent(parent).setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", ctx.method().name())
        .setAttribute("url.path", ctx.path())
        .startSpan();
    ctx.attribute(SPAN, span);
    ctx.attribute(SCOPE, span.makeCurrent());
    SpanContext sc = span.getSpanContext();
    if (sc.isValid()) {
      MDC.put(TRACE_ID, sc.getTraceId());
      MDC.put(SPAN_ID, sc.getSpanId());
    }
  }

  /** Names the span after the matched route, records the status and ends it. */
  void end(Context ctx, String route, int status) {
    Span span = ctx.attribute(SPAN);
    Scope scope = ctx.attribute(SCOPE);
    try {
      if (span != null) {
        span.updateName(ctx.method().name() + " " + route);
        span.setAttribute("http.route", route);
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) {
          span.setStatus(StatusCode.ERROR);
        }
        span.end();
      }
    } finally {
      if (scope != null) {
        scope.close();
      }
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
    }
  }
}
