-- Version 0.1.1: platform migrations share one version space per service schema (messaging 0.1.x,
-- agency-check 0.2.x, web 0.3.x).
-- Records whose handling failed again and again (not for want of the database or the broker): set
-- aside so the rest of their batch and partition flow on, kept whole so that ops can replay them
-- once the cause is fixed. A replay goes through the inbox like any delivery, so it is idempotent.
CREATE TABLE quarantine (
    event_key       text        PRIMARY KEY,
    binding         text        NOT NULL,
    application_id  text,
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL,
    record_offset   bigint      NOT NULL,
    record_key      text,
    headers         jsonb       NOT NULL,
    payload         bytea       NOT NULL,
    reason          text        NOT NULL,
    exception_class text        NOT NULL,
    stack_hash      text        NOT NULL,
    attempts        integer     NOT NULL,
    quarantined_at  timestamptz NOT NULL DEFAULT now(),
    replayed_at     timestamptz,
    replay_attempts integer     NOT NULL DEFAULT 0,
    last_replay_error text
);
CREATE INDEX quarantine_open ON quarantine (quarantined_at) WHERE replayed_at IS NULL;

-- Outbox rows the broker refused for good (too large, a topic that cannot exist): moved aside so
-- the relay goes on with the rows behind them, kept for ops to look at.
CREATE TABLE outbox_rejected (
    id          bigint      PRIMARY KEY,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    headers     jsonb       NOT NULL,
    payload     bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    reason      text        NOT NULL,
    rejected_at timestamptz NOT NULL DEFAULT now()
);
