-- Platform migrations are versioned 0.x and each service's own 1 and up; services run Flyway with
-- outOfOrder so a later platform migration still applies to a service already at V3.

-- Events waiting to be relayed to Kafka. A service inserts here in the same transaction as the
-- state change the event describes; the relay sends rows in id order and deletes them once the
-- broker has acknowledged them.
CREATE TABLE outbox (
    id          bigserial   PRIMARY KEY,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    headers     jsonb       NOT NULL,
    payload     bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Events this service has consumed, by CloudEvents id (or topic/partition/offset for records that
-- could not be read). Inserted in the same transaction as the event's effects, so a redelivered
-- event finds its id here and changes nothing.
CREATE TABLE inbox (
    event_key   text        PRIMARY KEY,
    consumed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_consumed_at ON inbox (consumed_at);
