-- The cards' life after issuance: every card a row, the set's own state, and the withdrawals
-- that suspended a set.

-- ISO 7064 MOD 11,10 over the ten digits after the two-letter kind: the check digit the number ends in.
CREATE FUNCTION card_number_is_valid(number text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    p integer := 10;
    s integer;
BEGIN
    IF number !~ '^(LP|OP)[0-9]{11}$' THEN
        RETURN false;
    END IF;
    FOR i IN 3..12 LOOP
        s := (p + substr(number, i, 1)::integer) % 10;
        p := (CASE WHEN s = 0 THEN 10 ELSE s END) * 2 % 11;
    END LOOP;
    RETURN (11 - p) % 10 = substr(number, 13, 1)::integer;
END $$;

-- One row per card ever issued, never deleted: the primary key is what makes a number impossible
-- to reuse, and the check constraint what makes a number without its check digit impossible to store.
-- A replaced or cancelled card keeps its row, so its number stays taken for good.
CREATE TABLE cards (
    card_number        text        PRIMARY KEY CHECK (card_number_is_valid(card_number)),
    application_id     uuid        NOT NULL REFERENCES card_sets (application_id),
    kind               text        NOT NULL CHECK (kind IN ('LP', 'OP')),
    holder_name        text        NOT NULL,
    masked_id_number   text        NOT NULL,
    broker_certificate text,
    state              text        NOT NULL CHECK (state IN ('VALID', 'SUSPENDED', 'EXPIRED', 'REPLACED', 'CANCELLED')),
    valid_until        date        NOT NULL,
    -- The validity the 30-day reminder was raised for: one reminder per card and validity period.
    reminded_for       date,
    replaces           text        UNIQUE REFERENCES cards (card_number),
    issued_at          timestamptz NOT NULL,
    changed_at         timestamptz NOT NULL,
    CHECK (substr(card_number, 1, 2) = kind)
);
CREATE INDEX cards_application ON cards (application_id);
CREATE INDEX cards_valid_until ON cards (valid_until) WHERE state = 'VALID';

-- ACTIVE; SUSPENDED while an agency's withdrawal of the approval the set rests on stands; CANCELLED
-- with the enterprise's account, for good. rests_on is the revision all six last approved.
ALTER TABLE card_sets
    ADD COLUMN state             text    NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('ACTIVE', 'SUSPENDED', 'CANCELLED')),
    ADD COLUMN rests_on          integer,
    ADD COLUMN suspended_by      text,
    ADD COLUMN suspension_reason text;
UPDATE card_sets SET rests_on = revision;
ALTER TABLE card_sets ALTER COLUMN rests_on SET NOT NULL;
CREATE INDEX card_sets_state ON card_sets (state) WHERE state <> 'ACTIVE';

-- The cards of sets issued before this migration, valid two years from issuance.
INSERT INTO cards (card_number, application_id, kind, holder_name, masked_id_number, state, valid_until, issued_at, changed_at)
SELECT c.card->>'cardNumber', s.application_id, substr(c.card->>'cardNumber', 1, 2), c.card->>'holderName',
       c.card->>'maskedIdNumber', 'VALID', ((s.issued_at AT TIME ZONE 'Asia/Shanghai') + interval '2 years')::date,
       s.issued_at, s.issued_at
FROM card_sets s
CROSS JOIN LATERAL (SELECT s.legal_person_card AS card UNION ALL SELECT jsonb_array_elements(s.operator_cards)) AS c;

-- Each agency's withdrawal of an approval, as it arrived: the suspension's reason, and what a later
-- approval of a newer revision lifts.
CREATE TABLE withdrawals (
    application_id uuid        NOT NULL,
    revision       integer     NOT NULL,
    agency         text        NOT NULL,
    reasons        jsonb       NOT NULL,
    decided_at     timestamptz NOT NULL,
    PRIMARY KEY (application_id, revision, agency)
);

-- Who the online applicant is (the enterprise account that submitted): the one enterprise that may act on its set.
ALTER TABLE applications ADD COLUMN owner text;
