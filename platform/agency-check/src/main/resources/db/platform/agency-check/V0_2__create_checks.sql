-- One row per application revision this agency has checked: its verdict as published. The
-- primary key makes a check happen once per revision however often the application arrives.
CREATE TABLE checks (
    application_id uuid        NOT NULL,
    revision       integer     NOT NULL,
    outcome        text        NOT NULL CHECK (outcome IN ('APPROVED', 'REJECTED', 'REFERRED')),
    reasons        jsonb       NOT NULL,
    decided_by     text        NOT NULL,
    decided_at     timestamptz NOT NULL,
    PRIMARY KEY (application_id, revision)
);
