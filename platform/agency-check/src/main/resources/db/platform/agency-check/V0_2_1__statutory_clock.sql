-- The statutory clock (时限) of each check, all of it on the platform's one clock, never the
-- database's: received_at is when the agency accepted the check and its clock started; warn_at
-- and deadline_at are 80 % and 100 % of the agency's limit (time_limit_days working days, as
-- configured then) in working time on the Chinese calendar. next_escalation_at is the next of the
-- two not yet raised, NULL once both are or the check is no longer open: the one column the
-- escalation watch scans, through a partial index that holds only open checks. parked_since is
-- when the check's current registry outage began; outage_ms the working time it spent parked
-- before its decision. Rows from before this migration have no deadline and are never escalated.
ALTER TABLE checks
    ADD COLUMN time_limit_days    integer,
    ADD COLUMN warn_at            timestamptz,
    ADD COLUMN deadline_at        timestamptz,
    ADD COLUMN next_escalation_at timestamptz,
    ADD COLUMN warned_at          timestamptz,
    ADD COLUMN breached_at        timestamptz,
    ADD COLUMN parked_since       timestamptz,
    ADD COLUMN outage_ms          bigint NOT NULL DEFAULT 0 CHECK (outage_ms >= 0);

CREATE INDEX checks_escalation ON checks (next_escalation_at) WHERE next_escalation_at IS NOT NULL;
-- The open checks, by acceptance: the oldest one against its limit, and the open escalations.
CREATE INDEX checks_open ON checks (received_at) WHERE state IN ('PENDING', 'REFERRED');
