-- What became of each card set after issue, from eport.cards: ACTIVE, SUSPENDED (an agency withdrew
-- its approval) or CANCELLED (the enterprise's account cancelled at the counter, final). Few sets are
-- not active, so the partial index is what the snapshot counts; the active ones are the rest.
ALTER TABLE card_sets ADD COLUMN state text NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('ACTIVE', 'SUSPENDED', 'CANCELLED'));
CREATE INDEX card_sets_not_active ON card_sets (state) WHERE state <> 'ACTIVE';

-- Every suspension by its reason code: of a whole set when an agency withdrew its approval (agency
-- set), of one card reported lost (CARD_REPORTED_LOST, no agency). One row per suspension, however
-- often the event telling of it was delivered or published again.
CREATE TABLE card_suspensions (
    application_id uuid        NOT NULL,
    reason_code    text        NOT NULL,
    agency         text,
    cards          integer     NOT NULL,
    suspended_at   timestamptz NOT NULL,
    PRIMARY KEY (application_id, reason_code, suspended_at)
);
