-- Records some service quarantined (its handler failed on them again and again), read from the
-- dead-letter topics: open until that service announces the replay. What the alert counts.
CREATE TABLE quarantined (
    consumer_group text        NOT NULL,
    event_key      text        NOT NULL,
    application_id uuid,
    reason         text        NOT NULL,
    exception      text,
    stack_hash     text,
    noticed_at     timestamptz NOT NULL DEFAULT now(),
    replayed_at    timestamptz,
    PRIMARY KEY (consumer_group, event_key)
);
CREATE INDEX quarantined_open ON quarantined (noticed_at) WHERE replayed_at IS NULL;
