-- Following the registry's change feed. approval_withdrawn_at is when the agency withdrew an
-- approval (APPROVED, DECIDED) because a fact it rested on changed in the registry: set once, in
-- the transaction that publishes the signed withdrawal, so a change delivered twice withdraws once.
ALTER TABLE checks ADD COLUMN approval_withdrawn_at timestamptz;

-- The numbers of the registry records a decision rested on (the facts' values are the records).
CREATE FUNCTION eport_fact_numbers(facts jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ARRAY(SELECT jsonb_path_query(coalesce(facts, '{}'::jsonb), '$.*.number') #>> '{}') $$;

-- The approvals that stand, by the numbers they rest on: what a changed record is looked up in.
CREATE INDEX checks_standing_approvals ON checks USING gin (eport_fact_numbers(facts))
    WHERE state = 'DECIDED' AND outcome = 'APPROVED' AND approval_withdrawn_at IS NULL;

-- Where in the registry's change feed this agency has read to: one row, moved in the transaction
-- that records what the changes decided.
CREATE TABLE registry_feed (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    next_cursor bigint  NOT NULL CHECK (next_cursor >= 0)
);
INSERT INTO registry_feed (next_cursor) VALUES (0);
