/** Export jobs: the request ({@link io.tally.analytics.core.export.ExportSpec}) and the job's state machine. */
package io.tally.analytics.core.export;
