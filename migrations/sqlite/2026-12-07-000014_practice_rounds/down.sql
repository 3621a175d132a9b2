-- Back to one attempt per candidate and exam: later practice rounds go.
PRAGMA foreign_keys = OFF;
BEGIN;
DELETE FROM attempt_items WHERE attempt_id IN (SELECT id FROM attempts WHERE round > 1);
UPDATE review_cases SET retest_attempt_id = NULL WHERE retest_attempt_id IN (SELECT id FROM attempts WHERE round > 1);
CREATE TABLE attempts_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    hall_id INTEGER REFERENCES org_units(id),
    status TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    deadline_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    submitted_by TEXT,
    earned INTEGER,
    possible INTEGER NOT NULL,
    score INTEGER,
    marking_pending BOOLEAN NOT NULL,
    device TEXT NOT NULL,
    sitting_id INTEGER REFERENCES sittings(id),
    UNIQUE (exam_id, user_id)
);
INSERT INTO attempts_old SELECT id, exam_id, user_id, hall_id, status, started_at, deadline_at, submitted_at,
    submitted_by, earned, possible, score, marking_pending, device, sitting_id FROM attempts WHERE round = 1;
DROP TABLE attempts;
ALTER TABLE attempts_old RENAME TO attempts;
CREATE INDEX attempts_open ON attempts(status, deadline_at);
COMMIT;
PRAGMA foreign_keys = ON;
