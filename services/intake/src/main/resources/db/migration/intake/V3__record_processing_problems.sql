-- What another service could not process about an application: read from the dead-letter topics
-- (a quarantined record names its application), so the applicant's status and timeline say where
-- it is stuck instead of the application waiting silently. Resolved when that service replays it.
CREATE TABLE processing_problems (
    service        text        NOT NULL,
    event_key      text        NOT NULL,
    application_id uuid        NOT NULL,
    event_type     text,
    noticed_at     timestamptz NOT NULL,
    resolved_at    timestamptz,
    PRIMARY KEY (service, event_key)
);
CREATE INDEX processing_problems_application ON processing_problems (application_id);
