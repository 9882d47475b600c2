-- Webhook subscriptions (Standard Webhooks). OWN: an enterprise account's own applications (owner);
-- ALL: every application, AGENCY: one agency's verdicts (agency), for integrators. The secret signs
-- every delivery (whsec_...). A subscription whose endpoint keeps failing waits until
-- next_attempt_at, with backoff, and is disabled, with its reason, once it has failed for 24 hours.
CREATE TABLE webhook_subscriptions (
    id              uuid        PRIMARY KEY,
    created_by      text        NOT NULL,
    scope           text        NOT NULL CHECK (scope IN ('OWN', 'ALL', 'AGENCY')),
    owner           text,
    agency          text,
    url             text        NOT NULL CHECK (length(url) <= 2000),
    secret          text        NOT NULL,
    description     text        CHECK (length(description) <= 200),
    created_at      timestamptz NOT NULL,
    failures        integer     NOT NULL DEFAULT 0,
    failing_since   timestamptz,
    next_attempt_at timestamptz NOT NULL DEFAULT '-infinity',
    disabled_at     timestamptz,
    disabled_reason text,
    CHECK ((scope = 'OWN') = (owner IS NOT NULL)),
    CHECK ((scope = 'AGENCY') = (agency IS NOT NULL))
);
CREATE INDEX webhook_subscriptions_created_by ON webhook_subscriptions (created_by);

-- Each application's changes numbered 1, 2, 3 ... in the order intake recorded them: a subscriber
-- tells a late delivery from a newer one by it and never rolls a status back.
CREATE TABLE application_sequences (
    application_id uuid   PRIMARY KEY,
    last_sequence  bigint NOT NULL
);

-- A change as delivered: the CloudEvents body, stored once whoever it goes to.
CREATE TABLE webhook_messages (
    application_id uuid        NOT NULL,
    sequence       bigint      NOT NULL,
    message_id     text        NOT NULL UNIQUE,
    body           text        NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (application_id, sequence)
);

-- One message to one subscriber: PENDING until its endpoint answered 2xx (DELIVERED), or DEAD when
-- 24 hours of retries, a refused endpoint or a disabled subscription ended it. A subscriber gets
-- one application's messages in sequence order: only the lowest PENDING one is ever sent. No foreign
-- key to the subscription: changes are matched against subscriptions read a second ago, and a
-- change must never fail because one was deleted meanwhile; deleting a subscription deletes its rows,
-- and the dispatcher sends only to subscriptions that exist.
CREATE TABLE webhook_deliveries (
    subscription_id  uuid        NOT NULL,
    application_id   uuid        NOT NULL,
    sequence         bigint      NOT NULL,
    state            text        NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts         integer     NOT NULL DEFAULT 0,
    first_attempt_at timestamptz,
    last_attempt_at  timestamptz,
    last_status      integer,
    last_error       text,
    delivered_at     timestamptz,
    lease_until      timestamptz,
    PRIMARY KEY (subscription_id, application_id, sequence),
    FOREIGN KEY (application_id, sequence) REFERENCES webhook_messages
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_id, application_id, sequence) WHERE state = 'PENDING';
