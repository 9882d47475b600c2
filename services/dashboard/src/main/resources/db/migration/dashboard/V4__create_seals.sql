-- The last seal each deciding service published of its decision log (eport.seals.<service>,
-- docs/evidence.md): a service whose seals stop arriving is shown as an alert.
CREATE TABLE seals (
    service     text        PRIMARY KEY,
    seq         bigint      NOT NULL,
    sealed_at   timestamptz NOT NULL,
    timestamped boolean     NOT NULL,
    key_id      text        NOT NULL
);
