package io.tally.analytics.adapter.rabbitmq;

import java.util.OptionalLong;

/**
 * A point-in-time view of {@link StreamUsageConsumer} for readiness and metrics.
 *
 * @param state what the consumer is doing
 * @param lastCommittedOffset last offset the sink committed (or found committed at start)
 * @param streamTailOffset last offset in the stream, as last probed
 * @param lag messages in the stream after the committed offset ({@code tail - committed}), when both are known
 * @param bufferedMessages messages received from the broker and not yet committed
 * @param committedMessages messages committed by this instance since start
 * @param committedBatches batches committed by this instance since start
 * @param sinkFailures failed sink calls (each retried) since start
 * @param subscriptions subscriptions made (more than one means the client recovered a lost connection)
 */
public record ConsumerStatus(
    ConsumerState state,
    OptionalLong lastCommittedOffset,
    OptionalLong streamTailOffset,
    OptionalLong lag,
    int bufferedMessages,
    long committedMessages,
    long committedBatches,
    long sinkFailures,
    long subscriptions) {}
