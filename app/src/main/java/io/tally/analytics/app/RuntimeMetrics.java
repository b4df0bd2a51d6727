package io.tally.analytics.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * What every JVM service exposes and operators' stock dashboards expect (DESIGN §1.4): JVM memory, garbage
 * collection, threads and classes, process CPU, file descriptors and uptime, from Micrometer's own binders. The
 * connection pool's meters come from HikariCP itself ({@link Database}).
 */
final class RuntimeMetrics implements AutoCloseable {
  private final JvmGcMetrics gc = new JvmGcMetrics();

  private RuntimeMetrics() {}

  /** @return the binders, bound; close to stop listening for GC notifications */
  static RuntimeMetrics bindTo(MeterRegistry registry) {
    RuntimeMetrics metrics = new RuntimeMetrics();
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    metrics.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return metrics;
  }

  @Override
  public void close() {
    gc.close();
  }
}
