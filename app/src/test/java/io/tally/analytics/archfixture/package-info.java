/**
 * A miniature Tally laid out like the real one (core, ports, adapter.alpha, adapter.beta, app) so that
 * {@code ArchitectureRulesSelfTest} can prove every architecture rule fails on the {@link
 * io.tally.analytics.archfixture.Planted} violations and passes on the clean classes.
 */
package io.tally.analytics.archfixture;
