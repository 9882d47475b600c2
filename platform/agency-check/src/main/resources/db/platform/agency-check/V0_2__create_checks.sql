-- One row per application revision this agency checks. PENDING until the registry has answered
-- and the rules have decided; a PENDING check the registry could not answer for is parked: it is
-- due again at next_attempt_at. REFERRED waits for a reviewer of the agency; DECIDED is final.
-- SUPERSEDED (a newer revision arrived) and WITHDRAWN (the applicant withdrew) stop a check that was
-- not final. The primary key makes a revision's check happen once however often it arrives.
CREATE TABLE checks (
    application_id  uuid        NOT NULL,
    revision        integer     NOT NULL,
    application     jsonb       NOT NULL,
    event_type      text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('PENDING', 'REFERRED', 'DECIDED', 'SUPERSEDED', 'WITHDRAWN')),
    outcome         text        CHECK (outcome IN ('APPROVED', 'REJECTED', 'REFERRED')),
    reasons         jsonb,
    facts           jsonb,
    decided_by      text,
    decided_at      timestamptz,
    received_at     timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    lease_until     timestamptz,
    PRIMARY KEY (application_id, revision)
);
CREATE INDEX checks_due ON checks (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX checks_referred ON checks (received_at) WHERE state = 'REFERRED';
