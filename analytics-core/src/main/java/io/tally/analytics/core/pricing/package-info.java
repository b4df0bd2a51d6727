/** Effective-dated model prices and the integer cost rule. */
package io.tally.analytics.core.pricing;
