-- Where a service keeps a decision log, an event is stored once: in its decision_log entry. The
-- outbox row only says which entry to send (lane, seq); the relay reads the record from there.
-- Rows that are not decision log entries (dead letters, seals) still carry their record.
ALTER TABLE outbox
    ADD COLUMN decision_lane smallint,
    ADD COLUMN decision_seq  bigint,
    ALTER COLUMN headers DROP NOT NULL,
    ALTER COLUMN payload DROP NOT NULL,
    ADD CONSTRAINT outbox_holds_its_record_or_points_at_it CHECK (
        (headers IS NOT NULL AND payload IS NOT NULL AND decision_lane IS NULL AND decision_seq IS NULL)
        OR (headers IS NULL AND payload IS NULL AND decision_lane IS NOT NULL AND decision_seq IS NOT NULL));
