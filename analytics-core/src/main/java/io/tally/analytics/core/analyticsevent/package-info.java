/**
 * AN-01 product/marketing events: the validated event, queries with keyset cursors, aggregation specs and an
 * in-memory aggregator shared by backends that cannot aggregate natively.
 */
package io.tally.analytics.core.analyticsevent;
