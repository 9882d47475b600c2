-- The enterprise's contact email, where the decision mails go, beside the form that holds it: the
-- consumer asks for it on every batch of final verdicts, and reading it from the form would read
-- (and decompress) every form of the batch to find the few that give one.
ALTER TABLE applications ADD COLUMN contact_email text CHECK (length(contact_email) <= 254);
UPDATE applications SET contact_email = form->'enterprise'->>'contactEmail' WHERE form->'enterprise'->>'contactEmail' IS NOT NULL;
