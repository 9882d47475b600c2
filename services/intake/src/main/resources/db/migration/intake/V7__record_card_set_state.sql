-- The card set's state as card issuance publishes it: ACTIVE, SUSPENDED (an agency withdrew its
-- approval: which, and its reason) or CANCELLED (the account, for good).
ALTER TABLE card_sets
    ADD COLUMN state             text  NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('ACTIVE', 'SUSPENDED', 'CANCELLED')),
    ADD COLUMN suspended_by      text,
    ADD COLUMN suspension_reason jsonb;
