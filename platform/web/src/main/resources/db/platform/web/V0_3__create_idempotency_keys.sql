-- platform/web's tables (platform migrations are 0.x: messaging took 0.1, agency-check 0.2, web 0.3;
-- a later one of web's is 0.3.1). Services run Flyway with outOfOrder.

-- The requests an @Idempotent endpoint has done, by the caller's subject and Idempotency-Key. A row
-- is inserted first in the transaction of the request's own effects and gets the answer before it
-- commits: it exists if and only if those effects do. A concurrent repeat waits on the primary key
-- and then reads the answer. fingerprint is the SHA-256 of the method, path and body, so that the
-- same key with another request is told apart. Rows older than the retention (24 h) are deleted hourly.
CREATE TABLE idempotency_keys (
    subject         text        NOT NULL,
    idempotency_key text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    fingerprint     bytea       NOT NULL CHECK (length(fingerprint) = 32),
    answer_status   smallint,
    answer_headers  jsonb,
    -- The body as first sent; eport.web.idempotency.max-answer-bytes bounds it, this bounds that.
    answer_body     bytea       CHECK (length(answer_body) <= 1048576),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
