-- The snapshot's counts, kept as the events arrive: each consumed batch recounts the applications it
-- touches, before and after its writes, and adds the difference here, in the transaction of its
-- writes. The snapshot reads these rows instead of aggregating the read model, which grows with
-- every application ever seen, every second.

-- The funnel: one row.
CREATE TABLE funnel_counts (
    only_row           boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    submitted          bigint  NOT NULL,
    approved_by_all    bigint  NOT NULL,
    telecom_registered bigint  NOT NULL,
    cards_issued       bigint  NOT NULL,
    withdrawn          bigint  NOT NULL
);

-- Per agency: current revisions decided; revisions approved, rejected and ever referred; referrals
-- still waiting for a reviewer; current revisions pending.
CREATE TABLE agency_counts (
    agency       text   PRIMARY KEY,
    decided      bigint NOT NULL,
    approved     bigint NOT NULL,
    rejected     bigint NOT NULL,
    referred     bigint NOT NULL,
    review_queue bigint NOT NULL,
    pending      bigint NOT NULL
);

-- Each agency's pending checks: the current revisions of applications not withdrawn that it has given
-- no verdict on yet, since that revision was submitted. As many as there is work waiting, not as
-- many as there ever was; the index gives each agency's oldest in one entry.
CREATE TABLE pending_checks (
    application_id uuid        NOT NULL,
    agency         text        NOT NULL,
    submitted_at   timestamptz NOT NULL,
    PRIMARY KEY (application_id, agency)
);
CREATE INDEX pending_checks_oldest ON pending_checks (agency, submitted_at);

-- Dead letters per consumer group and reason.
CREATE TABLE dead_letter_counts (
    consumer_group  text        NOT NULL,
    reason          text        NOT NULL,
    records         bigint      NOT NULL,
    last_counted_at timestamptz NOT NULL,
    PRIMARY KEY (consumer_group, reason)
);

-- The counts of the read model as it stands, once, by the aggregates the snapshot ran until now.
INSERT INTO funnel_counts (submitted, approved_by_all, telecom_registered, cards_issued, withdrawn)
SELECT (SELECT count(*) FROM applications),
       (SELECT count(*) FROM (
            SELECT v.application_id FROM agency_verdicts v
            JOIN applications a ON a.application_id = v.application_id AND a.revision = v.revision
            WHERE v.outcome = 'APPROVED' GROUP BY v.application_id HAVING count(*) = 6) AS approved),
       (SELECT count(*) FROM telecom_registrations),
       (SELECT count(*) FROM card_sets),
       (SELECT count(*) FROM withdrawals);

INSERT INTO pending_checks (application_id, agency, submitted_at)
SELECT a.application_id, g.agency, a.submitted_at
FROM applications a CROSS JOIN unnest(ARRAY['QUALITY', 'COMMERCE', 'TAX', 'TRADE', 'FOREX', 'CUSTOMS']) AS g(agency)
WHERE NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.application_id = a.application_id)
  AND NOT EXISTS (SELECT 1 FROM agency_verdicts v WHERE v.application_id = a.application_id
                  AND v.revision = a.revision AND v.agency = g.agency);

INSERT INTO agency_counts (agency, decided, approved, rejected, referred, review_queue, pending)
SELECT g.agency,
       (SELECT count(*) FROM agency_verdicts v
        JOIN applications a ON a.application_id = v.application_id AND a.revision = v.revision
        WHERE v.agency = g.agency AND v.outcome <> 'REFERRED'),
       (SELECT count(*) FROM agency_verdicts v WHERE v.agency = g.agency AND v.outcome = 'APPROVED'),
       (SELECT count(*) FROM agency_verdicts v WHERE v.agency = g.agency AND v.outcome = 'REJECTED'),
       (SELECT count(*) FROM agency_verdicts v WHERE v.agency = g.agency AND v.referred_at IS NOT NULL),
       (SELECT count(*) FROM agency_verdicts v
        LEFT JOIN applications a ON a.application_id = v.application_id
        LEFT JOIN withdrawals w ON w.application_id = v.application_id
        WHERE v.agency = g.agency AND v.outcome = 'REFERRED' AND w.application_id IS NULL
          AND (a.application_id IS NULL OR a.revision = v.revision)),
       (SELECT count(*) FROM pending_checks p WHERE p.agency = g.agency)
FROM unnest(ARRAY['QUALITY', 'COMMERCE', 'TAX', 'TRADE', 'FOREX', 'CUSTOMS']) AS g(agency);

INSERT INTO dead_letter_counts (consumer_group, reason, records, last_counted_at)
SELECT consumer_group, reason, count(*), max(counted_at) FROM dead_letters GROUP BY consumer_group, reason;
