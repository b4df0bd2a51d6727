/**
 * The embedded default object store: export files in a local directory, served by Tally's own download route
 * behind HMAC-signed, expiring links.
 */
package io.tally.analytics.adapter.localfs;
