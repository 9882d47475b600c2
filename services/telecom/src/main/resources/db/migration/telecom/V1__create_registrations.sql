-- The applications telecom may register, by slip: read from eport.applications. Intake makes
-- slips unique; this table does not insist, so a bad record on the topic cannot stop the consumer.
CREATE TABLE applications (
    application_id    uuid    PRIMARY KEY,
    slip_number       text    NOT NULL,
    organisation_code text    NOT NULL,
    withdrawn         boolean NOT NULL DEFAULT false
);
CREATE INDEX applications_slip ON applications (slip_number);

-- One registration per application, and each 17999 card registers one enterprise.
CREATE TABLE registrations (
    application_id      uuid        PRIMARY KEY,
    network_card_number text        NOT NULL UNIQUE,
    registered_at       timestamptz NOT NULL,
    registered_by       text        NOT NULL
);
