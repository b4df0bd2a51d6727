/** Proof that rollups equal raw data: per-bucket drift against a threshold. */
package io.tally.analytics.core.reconcile;
