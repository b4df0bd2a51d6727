/**
 * Redis adapter (Lettuce): {@link io.tally.analytics.adapter.redis.RedisFreshnessCache}, the
 * {@link io.tally.analytics.ports.out.FreshnessCache} in front of the freshness store, and
 * {@link io.tally.analytics.adapter.redis.RedisConnection}, the one connection it uses, built from
 * {@code REDIS_URL} and probed by {@code readyz}.
 */
package io.tally.analytics.adapter.redis;
