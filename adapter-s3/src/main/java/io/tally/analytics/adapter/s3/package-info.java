/**
 * Export files on S3 or an S3-compatible store (AWS SDK v2): streaming multipart uploads, aborts on failure,
 * presigned download URLs.
 */
package io.tally.analytics.adapter.s3;
