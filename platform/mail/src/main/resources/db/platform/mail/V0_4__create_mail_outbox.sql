-- Decision mails waiting to be sent, and the record of those sent or given up. A service inserts
-- here in the transaction of the decision the mail reports; the mail sender claims due PENDING rows
-- (FOR UPDATE SKIP LOCKED, leased by moving next_attempt_at past the lease), sends them over SMTP
-- and marks them SENT, or schedules the next attempt, or after eport.mail.give-up-after marks them FAILED.
CREATE TABLE mail_outbox (
    id              bigserial    PRIMARY KEY,
    -- application/revision/kind/agency: a redelivered event finds its mail queued and adds none.
    dedupe_key      text         NOT NULL UNIQUE,
    application_id  uuid         NOT NULL,
    -- RFC 5321: a path holds at most 256 octets with its angle brackets, so an address 254.
    recipient       varchar(254) NOT NULL CHECK (recipient ~ '^[^@\s]{1,64}@[^@\s]+$'),
    subject         text         NOT NULL,
    body            text         NOT NULL,
    state           text         NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SENT', 'FAILED')),
    attempts        integer      NOT NULL DEFAULT 0,
    next_attempt_at timestamptz  NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    CHECK ((state = 'SENT') = (sent_at IS NOT NULL))
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX mail_outbox_application ON mail_outbox (application_id);
