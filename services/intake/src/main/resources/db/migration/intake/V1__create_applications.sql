-- Appointment slip numbers (预约单) come from here: unique by construction, never reused.
CREATE SEQUENCE slip_number_seq;

-- What intake accepted. The form is kept as submitted, whole ID numbers included: they are needed
-- to hand out the cards against the holders' ID cards, and they never leave this schema.
CREATE TABLE applications (
    id           uuid        PRIMARY KEY,
    revision     integer     NOT NULL,
    slip_number  text        NOT NULL UNIQUE,
    owner        text        NOT NULL,
    channel      text        NOT NULL CHECK (channel IN ('ONLINE', 'PAPER')),
    submitted_by text        NOT NULL,
    submitted_at timestamptz NOT NULL,
    form         jsonb       NOT NULL
);
CREATE INDEX applications_owner ON applications (owner, submitted_at DESC);

-- The agencies' verdicts as this service has read them from their topics, for the status view.
CREATE TABLE verdicts (
    application_id uuid        NOT NULL,
    revision       integer     NOT NULL,
    agency         text        NOT NULL,
    outcome        text        NOT NULL,
    reasons        jsonb       NOT NULL,
    decided_by     text        NOT NULL,
    decided_at     timestamptz NOT NULL,
    PRIMARY KEY (application_id, revision, agency)
);

-- The card set, as card issuance published it.
CREATE TABLE card_sets (
    application_id uuid        PRIMARY KEY,
    revision       integer     NOT NULL,
    cards          jsonb       NOT NULL,
    issued_at      timestamptz NOT NULL
);
