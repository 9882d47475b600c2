-- The sealed decision log (docs/evidence.md, cn.eport.contracts.DecisionLog): every event this service
-- publishes, as hash chains written in the transaction that publishes it. The log is eight chains,
-- lanes, by the record key (one case's entries are all in one lane), so that transactions of different
-- lanes append side by side. Nothing updates or deletes these rows; a changed, removed or inserted one
-- no longer hashes to the sealed heads.
CREATE TABLE decision_log (
    lane           smallint    NOT NULL CHECK (lane BETWEEN 0 AND 7),
    seq            bigint      NOT NULL,
    application_id text        NOT NULL,
    topic          text        NOT NULL,
    record_key     text        NOT NULL,
    headers        jsonb       NOT NULL,
    payload        bytea       NOT NULL,
    content_hash   bytea       NOT NULL,
    entry_hash     bytea       NOT NULL,
    recorded_at    timestamptz NOT NULL,
    PRIMARY KEY (lane, seq)
);
CREATE INDEX decision_log_application ON decision_log (application_id, lane, seq);

-- Each lane's head: one row, locked by each transaction that publishes in that lane just before it
-- commits, so that a lane's entries chain in commit order.
CREATE TABLE decision_log_head (
    lane       smallint PRIMARY KEY CHECK (lane BETWEEN 0 AND 7),
    seq        bigint   NOT NULL,
    entry_hash bytea    NOT NULL
);
INSERT INTO decision_log_head (lane, seq, entry_hash)
SELECT lane, 0, '\x0000000000000000000000000000000000000000000000000000000000000000' FROM generate_series(0, 7) AS lane;

-- Signed heads, at least one per lane per seal interval (also while nothing was appended: the head still
-- stood there then), and whenever a lane grew by the configured number of entries.
CREATE TABLE decision_log_seal (
    id              bigserial   PRIMARY KEY,
    lane            smallint    NOT NULL CHECK (lane BETWEEN 0 AND 7),
    seq             bigint      NOT NULL,
    head_hash       bytea       NOT NULL,
    sealed_at       timestamptz NOT NULL,
    key_id          text        NOT NULL,
    signature       bytea       NOT NULL,
    timestamp_token bytea
);
CREATE INDEX decision_log_seal_lane ON decision_log_seal (lane, seq, id);
