package io.tally.analytics.adapter.postgres;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.lifecycle.AfterContainerHook;
import net.jqwik.api.lifecycle.BeforeContainerHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, migrated database per jqwik property class ({@code @AddLifecycleHook(PropertyDatabase.class)}), dropped
 * after it: jqwik runs outside JUnit Jupiter's extensions, so {@link TestDatabases} cannot register itself there.
 */
public final class PropertyDatabase implements BeforeContainerHook, AfterContainerHook {
  private static final Map<Class<?>, String> NAMES = new ConcurrentHashMap<>();
  private static final Map<Class<?>, Jdbi> JDBIS = new ConcurrentHashMap<>();
  private static final Map<Class<?>, PGSimpleDataSource> SOURCES = new ConcurrentHashMap<>();

  /** @return the data source of that property class's database */
  static PGSimpleDataSource dataSource(Class<?> propertyClass) {
    jdbi(propertyClass);
    return SOURCES.get(propertyClass);
  }

  /** @return the database of that property class, opened by the hook before its first try */
  static Jdbi jdbi(Class<?> propertyClass) {
    Jdbi jdbi = JDBIS.get(propertyClass);
    if (jdbi == null) {
      throw new IllegalStateException(
          propertyClass.getSimpleName() + " needs @AddLifecycleHook(PropertyDatabase.class)");
    }
    return jdbi;
  }

  @Override
  public void beforeContainer(ContainerLifecycleContext context) throws Throwable {
    Class<?> owner = owner(context);
    String name = TestDatabases.create(owner.getSimpleName());
    NAMES.put(owner, name);
    PGSimpleDataSource dataSource = TestDatabases.dataSource(name);
    PostgresMigrator.migrate(dataSource);
    SOURCES.put(owner, dataSource);
    JDBIS.put(owner, Jdbi.create(dataSource).installPlugin(new PostgresPlugin()));
  }

  @Override
  public void afterContainer(ContainerLifecycleContext context) throws Throwable {
    Class<?> owner = owner(context);
    JDBIS.remove(owner);
    SOURCES.remove(owner);
    String name = NAMES.remove(owner);
    if (name != null) {
      TestDatabases.drop(name);
    }
  }

  private static Class<?> owner(ContainerLifecycleContext context) {
    return context.optionalContainerClass().orElseThrow();
  }
}
