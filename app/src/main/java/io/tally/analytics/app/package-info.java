/**
 * The runnable process: configuration from the environment ({@link io.tally.analytics.app.TallyConfig}), hand
 * wiring of adapters to use cases, and the picocli command line ({@link io.tally.analytics.app.TallyCli}).
 */
package io.tally.analytics.app;
