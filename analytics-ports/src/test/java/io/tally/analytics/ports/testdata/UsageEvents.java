package io.tally.analytics.ports.testdata;

import io.tally.analytics.core.usage.FingerprintedEvent;
import io.tally.analytics.core.usage.UsageEvent;
import io.tally.analytics.core.usage.UsageEventCandidate;
import io.tally.analytics.core.usage.UsageStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-data builder: {@code UsageEvents.anEvent().withOrg(a).withTokens(10, 5).build()}. Defaults make a valid,
 * priced, successful event with a fresh eventId.
 */
public final class UsageEvents {
  /** Organisation used when none is given. */
  public static final UUID ORG_A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  /** A second organisation for isolation tests. */
  public static final UUID ORG_B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
  /** Default occurredAt. */
  public static final Instant T0 = Instant.parse("2026-10-01T10:15:30Z");

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private String eventId = "evt-" + SEQUENCE.incrementAndGet();
  private UUID orgId = ORG_A;
  private Instant occurredAt = T0;
  private String modelId = "llama-3-70b";
  private long inputTokens = 100;
  private long outputTokens = 50;
  private Optional<Long> costMicros = Optional.of(1_000L);
  private long latencyMs = 250;
  private UsageStatus status = UsageStatus.SUCCESS;
  private Optional<String> errorCode = Optional.empty();
  private Optional<String> region = Optional.empty();

  private UsageEvents() {}

  /** @return a builder with defaults */
  public static UsageEvents anEvent() {
    return new UsageEvents();
  }

  /** @return a builder starting from an existing event (to make resends and conflicts) */
  public static UsageEvents from(UsageEvent e) {
    UsageEvents b = new UsageEvents();
    b.eventId = e.eventId();
    b.orgId = e.orgId();
    b.occurredAt = e.occurredAt();
    b.modelId = e.modelId();
    b.inputTokens = e.inputTokens();
    b.outputTokens = e.outputTokens();
    b.costMicros = e.costMicros();
    b.latencyMs = e.latencyMs();
    b.status = e.status();
    b.errorCode = e.errorCode();
    b.region = e.region();
    return b;
  }

  public UsageEvents withId(String id) {
    this.eventId = id;
    return this;
  }

  public UsageEvents withOrg(UUID org) {
    this.orgId = org;
    return this;
  }

  public UsageEvents at(Instant at) {
    this.occurredAt = at;
    return this;
  }

  public UsageEvents at(String rfc3339) {
    return at(Instant.parse(rfc3339));
  }

  public UsageEvents withModel(String model) {
    this.modelId = model;
    return this;
  }

  public UsageEvents withTokens(long in, long out) {
    this.inputTokens = in;
    this.outputTokens = out;
    return this;
  }

  public UsageEvents withCost(long micros) {
    this.costMicros = Optional.of(micros);
    return this;
  }

  public UsageEvents withoutCost() {
    this.costMicros = Optional.empty();
    return this;
  }

  public UsageEvents withLatency(long ms) {
    this.latencyMs = ms;
    return this;
  }

  public UsageEvents failed(String code) {
    this.status = UsageStatus.ERROR;
    this.errorCode = Optional.of(code);
    return this;
  }

  public UsageEvents inRegion(String region) {
    this.region = Optional.of(region);
    return this;
  }

  /** @return the event */
  public UsageEvent build() {
    return new UsageEvent(eventId, orgId, occurredAt, modelId, Optional.empty(), Optional.empty(), inputTokens,
        outputTokens, costMicros, latencyMs, status, errorCode, region);
  }

  /** @return the event with its fingerprint */
  public FingerprintedEvent fingerprinted() {
    return FingerprintedEvent.of(build());
  }

  /** @return the event as a wire candidate */
  public UsageEventCandidate candidate() {
    return UsageEventCandidate.fromEvent(build());
  }
}
