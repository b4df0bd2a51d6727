-- Fenced stream lease (issue 12e): each taking of a lease gets a new epoch. A stream batch commits only while its
-- consumer's (holder, epoch) is still the row's, checked under FOR SHARE in the batch's transaction, so a holder
-- that stalled past its lease commits nothing once another instance (even one started with the same INSTANCE_ID)
-- has taken it. Epochs come from one sequence, so they never repeat, also after a lease row is deleted and taken
-- afresh; existing rows start at 1, below every epoch the sequence gives.
CREATE SEQUENCE analytics.stream_lease_epochs START WITH 2;
ALTER TABLE analytics.stream_leases ADD COLUMN epoch bigint NOT NULL DEFAULT 1 CHECK (epoch >= 1);
