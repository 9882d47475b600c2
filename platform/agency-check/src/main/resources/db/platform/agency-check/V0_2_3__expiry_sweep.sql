-- A certificate that simply runs out changes nothing in its registry, so no change tells of it: the
-- follower also looks, now and then, for standing approvals resting on a record whose last valid day
-- has passed. The earliest validUntil of a decision's facts, as its ISO text (which orders as the
-- dates do), through a partial index of the standing approvals only.
CREATE FUNCTION eport_fact_first_expiry(facts jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT min(x #>> '{}') FROM jsonb_path_query(coalesce(facts, '{}'::jsonb), '$.*.validUntil ? (@.type() == "string")') AS x $$;

CREATE INDEX checks_standing_expiry ON checks (eport_fact_first_expiry(facts))
    WHERE state = 'DECIDED' AND outcome = 'APPROVED' AND approval_withdrawn_at IS NULL;
