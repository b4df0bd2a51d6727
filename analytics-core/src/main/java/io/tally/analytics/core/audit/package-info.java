/** The hash-chained audit record and its verification, including against an exported head. */
package io.tally.analytics.core.audit;
