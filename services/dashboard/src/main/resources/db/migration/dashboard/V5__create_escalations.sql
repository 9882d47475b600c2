-- The agencies' statutory-clock escalations (cn.eport.check.escalated.v1), one row per check and
-- level. One is open while its agency has given that revision no final verdict, the revision is
-- still the application's newest and the application is not withdrawn.
CREATE TABLE escalations (
    application_id  uuid        NOT NULL,
    revision        integer     NOT NULL,
    agency          text        NOT NULL,
    level           text        NOT NULL CHECK (level IN ('WARNING', 'BREACH')),
    accepted_at     timestamptz NOT NULL,
    deadline        timestamptz NOT NULL,
    time_limit_days integer     NOT NULL,
    waiting_for     text        NOT NULL,
    raised_at       timestamptz NOT NULL,
    PRIMARY KEY (application_id, revision, agency, level)
);
CREATE INDEX escalations_raised ON escalations (raised_at);
