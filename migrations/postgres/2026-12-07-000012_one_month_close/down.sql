CREATE TABLE ledger_closes (
    id SERIAL PRIMARY KEY,
    month TEXT NOT NULL,
    rate_fen INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    closed_at TIMESTAMP NOT NULL,
    closed_by INTEGER REFERENCES users(id),
    reopened_at TIMESTAMP,
    reopened_by INTEGER REFERENCES users(id),
    reopen_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_closes_month ON ledger_closes (month);
INSERT INTO ledger_closes (month, rate_fen, snapshot, closed_at, closed_by, reopened_at, reopened_by, reopen_reason)
SELECT month, COALESCE((snapshot::jsonb->>'rate_fen')::int, 1000), snapshot, closed_at, closed_by,
       reopened_at, reopened_by, reopen_reason
FROM month_closes WHERE kind = 'reading' ORDER BY id;
DELETE FROM month_closes WHERE kind = 'reading';
DROP INDEX month_closes_kind_month;
ALTER TABLE month_closes DROP COLUMN kind;
CREATE INDEX month_closes_month ON month_closes (month);
