-- Exposure control (DESIGN §4 rules 10 and 11): who has seen the key of which
-- question version, and when. A row is written when a candidate is shown the
-- key or their right/wrong marks (once per exam); trainers never count. A
-- version's first reveal and its number of people are read from here.
CREATE TABLE key_reveals (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    question_id INTEGER NOT NULL REFERENCES questions(id),
    version_id INTEGER NOT NULL REFERENCES question_versions(id),
    revealed_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, exam_id, version_id)
);
CREATE INDEX key_reveals_question ON key_reveals(question_id);
CREATE INDEX key_reveals_exam ON key_reveals(exam_id);

-- Papers already reviewed in full before this release: every candidate of a
-- closed exam that showed its key is taken to have seen it.
INSERT INTO key_reveals (user_id, exam_id, question_id, version_id, revealed_at)
SELECT a.user_id, a.exam_id, i.question_id, i.version_id, MIN(e.closes_at)
FROM attempt_items i
JOIN attempts a ON a.id = i.attempt_id
JOIN exams e ON e.id = a.exam_id
WHERE e.review = 'full' AND a.status = 'submitted' AND e.closes_at < (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')
GROUP BY a.user_id, a.exam_id, i.question_id, i.version_id;
