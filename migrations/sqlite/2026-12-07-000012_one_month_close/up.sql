-- One table for every month close (issue 20): the below-average list
-- ('review') and the reading-penalty ledger ('reading') were closed and
-- re-opened the same way in two tables. A kind column tells them apart; the
-- ledger's rate already travels in its snapshot (rate_fen), set here from
-- the old column so the snapshot alone is the record.
ALTER TABLE month_closes ADD COLUMN kind TEXT NOT NULL DEFAULT 'review';
INSERT INTO month_closes (kind, month, closed_at, closed_by, snapshot, reopened_at, reopened_by, reopen_reason)
SELECT 'reading', month, closed_at, closed_by, json_set(snapshot, '$.rate_fen', rate_fen),
       reopened_at, reopened_by, reopen_reason
FROM ledger_closes ORDER BY id;
DROP TABLE ledger_closes;
DROP INDEX month_closes_month;
CREATE INDEX month_closes_kind_month ON month_closes (kind, month);
