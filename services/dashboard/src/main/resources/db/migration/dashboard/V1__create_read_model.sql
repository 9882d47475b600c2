-- The dashboard's read model, built only from the Kafka topics. Each consumed batch changes these
-- tables in the transaction that records its event ids in the inbox, so a redelivered event changes
-- nothing and a restart resumes where the committed offsets left off.

-- Every application seen, at its newest revision (first submission or amendment): a revision that
-- arrives late never goes back.
CREATE TABLE applications (
    application_id     uuid        PRIMARY KEY,
    revision           integer     NOT NULL,
    slip_number        text        NOT NULL,
    enterprise_name    text        NOT NULL,
    -- when the current revision was submitted: what a pending check's age is measured from
    submitted_at       timestamptz NOT NULL
);
CREATE INDEX applications_slip_number ON applications (upper(slip_number));

-- Each agency's standing verdict per application revision: counted by agency per revision, never by
-- event. A referral may be replaced by the reviewer's final verdict; a final verdict never changes.
CREATE TABLE agency_verdicts (
    application_id uuid        NOT NULL,
    revision       integer     NOT NULL,
    agency         text        NOT NULL,
    outcome        text        NOT NULL CHECK (outcome IN ('APPROVED', 'REJECTED', 'REFERRED')),
    referred_at    timestamptz,
    decided_at     timestamptz NOT NULL,
    PRIMARY KEY (application_id, revision, agency)
);
CREATE INDEX agency_verdicts_agency_outcome ON agency_verdicts (agency, outcome);

-- Applications withdrawn: no agency works on them any more, so nothing of theirs is pending or queued.
CREATE TABLE withdrawals (
    application_id uuid        PRIMARY KEY,
    revision       integer     NOT NULL,
    withdrawn_at   timestamptz NOT NULL
);

-- Telecom's 17999 registrations, the last condition for the cards besides the six approvals.
CREATE TABLE telecom_registrations (
    application_id uuid        PRIMARY KEY,
    registered_at  timestamptz NOT NULL
);

-- The card sets issued, one per application.
CREATE TABLE card_sets (
    application_id uuid        PRIMARY KEY,
    revision       integer     NOT NULL,
    issued_at      timestamptz NOT NULL
);

-- Every event consumed, as a line of its application's timeline. Free text (reasons) is stored with
-- any whole personal ID number already masked.
CREATE TABLE timeline (
    id             bigserial   PRIMARY KEY,
    event_id       text        NOT NULL UNIQUE,
    application_id uuid        NOT NULL,
    kind           text        NOT NULL,
    revision       integer,
    agency         text,
    outcome        text,
    reasons        jsonb       NOT NULL DEFAULT '[]',
    actor          text        NOT NULL,
    occurred_at    timestamptz NOT NULL,
    published_at   timestamptz NOT NULL
);
CREATE INDEX timeline_application ON timeline (application_id, occurred_at);
CREATE INDEX timeline_recent_verdicts ON timeline (occurred_at) WHERE kind = 'VERDICT';

-- Records found on the dead-letter topics, once each (by where they were read), with their reason.
CREATE TABLE dead_letters (
    topic          text        NOT NULL,
    partition      integer     NOT NULL,
    record_offset  bigint      NOT NULL,
    consumer_group text        NOT NULL,
    reason         text        NOT NULL,
    original_topic text,
    counted_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, record_offset)
);
