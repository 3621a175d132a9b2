-- Month close (issue 6).
-- Where a monthly exam's results come from: sat in examhall, or imported
-- from a spreadsheet of a sitting held elsewhere (a results-only exam).
ALTER TABLE exams ADD COLUMN source TEXT NOT NULL DEFAULT 'sat';
-- The closed month whose below-average list put this person "in person" for
-- this exam (NULL when a trainer set it by hand): closing, re-closing and
-- exemptions keep exactly these marks in step with the list.
ALTER TABLE exam_people ADD COLUMN flag_month TEXT;
-- The retest (next month's in-person exam) recorded against the flag.
ALTER TABLE review_cases ADD COLUMN retest_attempt_id INTEGER REFERENCES attempts(id);
ALTER TABLE review_cases ADD COLUMN retest_score INTEGER;
-- Closing a month freezes its list: a JSON snapshot of the exam's scores,
-- the city average and the flags. Re-opening (an admin, with a reason) keeps
-- the row, so the recomputed list can show what changed since.
CREATE TABLE month_closes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    month TEXT NOT NULL,
    closed_at TIMESTAMP NOT NULL,
    closed_by INTEGER REFERENCES users(id),
    snapshot TEXT NOT NULL,
    reopened_at TIMESTAMP,
    reopened_by INTEGER REFERENCES users(id),
    reopen_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX month_closes_month ON month_closes (month);
-- Site settings an admin changes in the browser (key → value as text; the
-- code holds each setting's default, so a missing row means "default").
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL
);
-- The flags of a closing, one row per flagged clerk (the snapshot holds them
-- too): cheap look-ups for a clerk's home-page notice.
CREATE TABLE month_flags (
    close_id INTEGER NOT NULL REFERENCES month_closes(id),
    month TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (close_id, user_id)
);
CREATE INDEX month_flags_user ON month_flags (user_id, month);
