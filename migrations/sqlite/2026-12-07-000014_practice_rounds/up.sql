-- A practice exam may be sat again and again: a candidate's attempts at an
-- exam are numbered (round), unique together with the exam and candidate;
-- every other exam keeps one round. SQLite cannot drop a table's UNIQUE, so
-- the table is rebuilt (SQLite's documented procedure, foreign keys off).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE attempts_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    -- the candidate's hall when the attempt started
    hall_id INTEGER REFERENCES org_units(id),
    -- in_progress | submitted
    status TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    deadline_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    -- self | deadline
    submitted_by TEXT,
    -- hundredths of a point
    earned INTEGER,
    possible INTEGER NOT NULL,
    -- hundredths of the 0–100 score; NULL until graded (and marked)
    score INTEGER,
    marking_pending BOOLEAN NOT NULL,
    -- the device that holds the attempt (the newest one to open it)
    device TEXT NOT NULL,
    sitting_id INTEGER REFERENCES sittings(id),
    -- 1, 2, 3… a practice exam's rounds; 1 for every other exam
    round INTEGER NOT NULL DEFAULT 1,
    UNIQUE (exam_id, user_id, round)
);
INSERT INTO attempts_new (id, exam_id, user_id, hall_id, status, started_at, deadline_at, submitted_at,
    submitted_by, earned, possible, score, marking_pending, device, sitting_id, round)
SELECT id, exam_id, user_id, hall_id, status, started_at, deadline_at, submitted_at,
    submitted_by, earned, possible, score, marking_pending, device, sitting_id, 1
FROM attempts;
DROP TABLE attempts;
ALTER TABLE attempts_new RENAME TO attempts;
CREATE INDEX attempts_open ON attempts(status, deadline_at);
COMMIT;
PRAGMA foreign_keys = ON;
