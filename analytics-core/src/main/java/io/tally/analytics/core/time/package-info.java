/** Rules about the instants Tally accepts from callers: the bounds of RFC 3339 and their parsing. */
package io.tally.analytics.core.time;
