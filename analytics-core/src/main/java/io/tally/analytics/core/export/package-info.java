/**
 * Export jobs: the request ({@link io.tally.analytics.core.export.ExportSpec}), the job's state machine with its
 * lease ({@link io.tally.analytics.core.export.ExportJob}), the CSV columns
 * ({@link io.tally.analytics.core.export.ExportCsv}), the manifest, and the signing of embedded download links.
 */
package io.tally.analytics.core.export;
