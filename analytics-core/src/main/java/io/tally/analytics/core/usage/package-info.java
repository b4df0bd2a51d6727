/** Usage events: the validated record, wire candidates, the validator, fingerprints and in-batch dedup. */
package io.tally.analytics.core.usage;
