/** Bucketed usage aggregates whose merge is associative and commutative, at any bucket width. */
package io.tally.analytics.core.rollup;
