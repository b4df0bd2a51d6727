-- Stream lease (issue 12): RabbitMQ 3.10 has no single active consumer, so the instances that could consume a
-- stream agree in the database on which one does. One row per (stream, consumer name); the holder renews it
-- (a heartbeat) before it expires, and any instance may take it once it has. Expiry is judged by the database's
-- clock (now()), so the instances' clocks need not agree.
CREATE TABLE analytics.stream_leases (
    stream      text        NOT NULL,
    consumer    text        NOT NULL,
    holder      text        NOT NULL CHECK (length(holder) BETWEEN 1 AND 200),
    acquired_at timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (stream, consumer)
);
