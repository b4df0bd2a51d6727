/** RFC 4180 CSV writing with formula-injection neutralization, on any {@link java.lang.Appendable}. */
package io.tally.analytics.core.csv;
