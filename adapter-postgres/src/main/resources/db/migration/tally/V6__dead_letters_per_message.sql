-- Dead letters are written in the same transaction as their batch's rows and stream position, and a stream
-- dead letter records the offset of its own message. (stream, consumer, stream_offset) therefore names one
-- message, and the insert skips a letter that is already stored, so a redelivered batch cannot double it.

-- Letters written before V6 recorded their batch's last offset in stream_offset, shared by every letter of the
-- batch, so it names no message. It moves to batch_last_offset, which is read back in its place.
ALTER TABLE analytics.dead_letters ADD COLUMN batch_last_offset bigint;
UPDATE analytics.dead_letters
   SET batch_last_offset = stream_offset, stream_offset = NULL
 WHERE stream_offset IS NOT NULL;

CREATE UNIQUE INDEX dead_letters_stream_message
    ON analytics.dead_letters (stream, consumer, stream_offset)
 WHERE stream_offset IS NOT NULL;
