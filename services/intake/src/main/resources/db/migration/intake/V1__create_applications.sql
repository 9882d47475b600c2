-- Appointment slip numbers (预约单) come from here: unique by construction, never reused.
CREATE SEQUENCE slip_number_seq;

-- What intake accepted, at its current revision. The form is kept as submitted, whole ID numbers
-- included: they are needed to hand out the cards against the holders' ID cards, and they never
-- leave this schema. released_revision is the newest revision published to the agencies: in
-- batch mode a revision waits (is held) until the next release.
CREATE TABLE applications (
    id                uuid        PRIMARY KEY,
    revision          integer     NOT NULL,
    released_revision integer     NOT NULL DEFAULT 0,
    slip_number       text        NOT NULL UNIQUE,
    owner             text        NOT NULL,
    channel           text        NOT NULL CHECK (channel IN ('ONLINE', 'PAPER')),
    submitted_by      text        NOT NULL,
    submitted_at      timestamptz NOT NULL,
    form              jsonb       NOT NULL,
    revised_at        timestamptz NOT NULL,
    revised_by        text        NOT NULL,
    withdrawn_at      timestamptz,
    withdrawn_by      text
);
CREATE INDEX applications_owner ON applications (owner, submitted_at DESC);
CREATE INDEX applications_held ON applications (submitted_at) WHERE revision > released_revision;

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

-- Telecom's 17999 registration, as telecom published it.
CREATE TABLE telecom_registrations (
    application_id      uuid        PRIMARY KEY,
    network_card_number text        NOT NULL,
    registered_at       timestamptz NOT NULL,
    registered_by       text        NOT NULL
);

-- The card set, as card issuance published it.
CREATE TABLE card_sets (
    application_id uuid        PRIMARY KEY,
    revision       integer     NOT NULL,
    cards          jsonb       NOT NULL,
    issued_at      timestamptz NOT NULL
);

-- Everything that happened to an application, with when and who: what the applicant reads.
CREATE TABLE timeline (
    id             bigserial   PRIMARY KEY,
    application_id uuid        NOT NULL,
    at             timestamptz NOT NULL,
    what           text        NOT NULL,
    revision       integer,
    actor          text        NOT NULL,
    detail         jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_application ON timeline (application_id, at, id);
