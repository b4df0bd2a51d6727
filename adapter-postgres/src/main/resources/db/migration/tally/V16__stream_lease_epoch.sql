-- Fenced stream lease (issue 12e): each taking of a lease gets the next epoch. A stream batch commits only while
-- its consumer's (holder, epoch) is still the row's, checked under FOR SHARE in the batch's transaction, so a holder
-- that stalled past its lease commits nothing once another instance (even one started with the same INSTANCE_ID)
-- has taken it. Existing rows start at epoch 1.
ALTER TABLE analytics.stream_leases ADD COLUMN epoch bigint NOT NULL DEFAULT 1 CHECK (epoch >= 1);
