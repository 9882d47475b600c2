-- Card numbers come from here: unique by construction, never reused.
CREATE SEQUENCE card_number_seq;

-- The latest revision of each application seen on eport.applications, with its Form 2 holders,
-- and whether it was withdrawn (then no cards, whatever arrives later).
CREATE TABLE applications (
    application_id       uuid        PRIMARY KEY,
    revision             integer     NOT NULL,
    slip_number          text        NOT NULL,
    legal_representative jsonb       NOT NULL,
    operators            jsonb       NOT NULL,
    withdrawn_at         timestamptz
);

-- Telecom's 17999 registration of the enterprise code: the last condition for the cards.
CREATE TABLE telecom_registrations (
    application_id      uuid        PRIMARY KEY,
    network_card_number text        NOT NULL,
    registered_at       timestamptz NOT NULL
);

-- One verdict per agency per revision: the key counts agencies, never events, so copies of a
-- verdict count once. A REFERRED verdict is replaced by the reviewer's final one; a final verdict
-- is never replaced.
CREATE TABLE verdicts (
    application_id uuid        NOT NULL,
    revision       integer     NOT NULL,
    agency         text        NOT NULL,
    outcome        text        NOT NULL CHECK (outcome IN ('APPROVED', 'REJECTED', 'REFERRED')),
    decided_by     text        NOT NULL,
    decided_at     timestamptz NOT NULL,
    PRIMARY KEY (application_id, revision, agency)
);

-- A final verdict contradicted by a later one for the same revision: recorded and raised, never applied.
CREATE TABLE verdict_conflicts (
    id                  bigserial   PRIMARY KEY,
    application_id      uuid        NOT NULL,
    revision            integer     NOT NULL,
    agency              text        NOT NULL,
    standing_outcome    text        NOT NULL,
    conflicting_outcome text        NOT NULL,
    conflicting_event   text        NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now()
);

-- At most one card set per application: the primary key, not timing, guarantees it.
CREATE TABLE card_sets (
    application_id     uuid        PRIMARY KEY,
    revision           integer     NOT NULL,
    slip_number        text        NOT NULL,
    legal_person_card  jsonb       NOT NULL,
    operator_cards     jsonb       NOT NULL,
    card_readers       integer     NOT NULL,
    installation_discs integer     NOT NULL,
    issued_at          timestamptz NOT NULL
);
