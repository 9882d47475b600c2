-- The last seal of each lane of each deciding service's decision log (eport.seals.<service>,
-- docs/evidence.md): a service whose seals stop arriving is shown as an alert.
CREATE TABLE seals (
    service     text        NOT NULL,
    lane        smallint    NOT NULL,
    seq         bigint      NOT NULL,
    sealed_at   timestamptz NOT NULL,
    timestamped boolean     NOT NULL,
    key_id      text        NOT NULL,
    PRIMARY KEY (service, lane)
);
