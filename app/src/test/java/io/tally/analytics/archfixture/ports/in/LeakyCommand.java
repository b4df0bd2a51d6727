package io.tally.analytics.archfixture.ports.in;

import io.tally.analytics.archfixture.Planted;
import io.tally.analytics.archfixture.ports.out.FixtureRowStore;

@Planted("a ports.in command carries a ports.out type")
public record LeakyCommand(FixtureRowStore.Row row) {}
