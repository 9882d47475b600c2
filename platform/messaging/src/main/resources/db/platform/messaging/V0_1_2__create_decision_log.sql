-- The sealed decision log (docs/evidence.md, cn.eport.contracts.DecisionLog): every event this service
-- publishes, as a hash chain written in the transaction that publishes it. Nothing updates or deletes
-- these rows; a changed, removed or inserted one no longer hashes to the sealed heads.
CREATE TABLE decision_log (
    seq            bigint      PRIMARY KEY,
    application_id text        NOT NULL,
    topic          text        NOT NULL,
    record_key     text        NOT NULL,
    headers        jsonb       NOT NULL,
    payload        bytea       NOT NULL,
    content_hash   bytea       NOT NULL,
    entry_hash     bytea       NOT NULL,
    recorded_at    timestamptz NOT NULL
);
CREATE INDEX decision_log_application ON decision_log (application_id, seq);

-- The chain's head: one row, locked by each publishing transaction just before it commits, so that
-- entries chain in commit order.
CREATE TABLE decision_log_head (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    seq        bigint  NOT NULL,
    entry_hash bytea   NOT NULL
);
INSERT INTO decision_log_head (seq, entry_hash) VALUES (0, '\x0000000000000000000000000000000000000000000000000000000000000000');

-- Signed heads, at least one per seal interval (also while nothing was appended: the head still
-- stood there then), and whenever the log grew by the configured number of entries.
CREATE TABLE decision_log_seal (
    id              bigserial   PRIMARY KEY,
    seq             bigint      NOT NULL,
    head_hash       bytea       NOT NULL,
    sealed_at       timestamptz NOT NULL,
    key_id          text        NOT NULL,
    signature       bytea       NOT NULL,
    timestamp_token bytea
);
CREATE INDEX decision_log_seal_seq ON decision_log_seal (seq, id);
