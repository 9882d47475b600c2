-- The chart of the last hour: per minute of event time (whole UTC minutes), the applications submitted,
-- the amendments, each agency's verdicts and the card sets issued. Kept as the events arrive, in the
-- transaction of the batch that tells of them, so the snapshot reads at most sixty minutes of these rows
-- whatever the load, where counting the hour's timeline would read every event of the hour every second.
--
-- Each thing counts once, in the minute of the first event that told of it: an application's submission,
-- an amendment (application, revision), a verdict (application, revision, agency, outcome: the same
-- verdict published again is one, as for the throughput) and an application's card set.
CREATE TABLE activity_minutes (
    minute timestamptz NOT NULL,
    -- SUBMITTED, AMENDED, CARD_SETS, or the agency whose verdicts these are
    series text        NOT NULL CHECK (series IN ('SUBMITTED', 'AMENDED', 'CARD_SETS',
                                                  'QUALITY', 'COMMERCE', 'TAX', 'TRADE', 'FOREX', 'CUSTOMS')),
    n      bigint      NOT NULL,
    PRIMARY KEY (minute, series)
);

-- The timeline's last day as it stands (a day is what the dashboard keeps of these rows), once, by the same
-- rule: a line counts when no line recorded before it (a smaller id) told of the same thing.
INSERT INTO activity_minutes (minute, series, n)
SELECT date_trunc('minute', t.occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
       CASE t.kind WHEN 'VERDICT' THEN t.agency WHEN 'CARDS_ISSUED' THEN 'CARD_SETS' ELSE t.kind END,
       count(*)
FROM timeline t
WHERE t.kind IN ('SUBMITTED', 'AMENDED', 'VERDICT', 'CARDS_ISSUED') AND t.occurred_at >= now() - interval '1 day'
  AND NOT EXISTS (SELECT 1 FROM timeline e WHERE e.application_id = t.application_id AND e.kind = t.kind AND e.id < t.id
                  AND (t.kind IN ('SUBMITTED', 'CARDS_ISSUED')
                       OR (e.revision = t.revision AND (t.kind = 'AMENDED' OR (e.agency = t.agency AND e.outcome = t.outcome)))))
GROUP BY 1, 2;
