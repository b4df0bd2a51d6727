/**
 * In-memory implementations of the driven ports: a supported implementation for tests and for small embedded use
 * (one JVM, data lost on exit). Each passes the same contract suite as the PostgreSQL adapter. The usage stores
 * share one {@link io.tally.analytics.ports.memory.InMemoryUsageData}, which plays the database: every access
 * synchronizes on it, as one transaction would. {@code Tally.inMemory(clock)} wires them with the use cases.
 */
package io.tally.analytics.ports.memory;
