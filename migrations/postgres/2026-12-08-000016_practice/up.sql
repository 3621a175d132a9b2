-- 可练习: a trainer opens a bank for practice (练习, 每日一练).
ALTER TABLE banks ADD COLUMN practice BOOLEAN NOT NULL DEFAULT FALSE;

-- Every practice answer: what the clerk got right or wrong, and when. A
-- practised question's key has been shown to the clerk (exposure, rule 11).
CREATE TABLE practice_answers (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    question_id INTEGER NOT NULL REFERENCES questions(id),
    version_id INTEGER NOT NULL REFERENCES question_versions(id),
    mode TEXT NOT NULL,
    correct BOOLEAN NOT NULL,
    answered_at TIMESTAMP NOT NULL
);
CREATE INDEX practice_answers_user ON practice_answers (user_id, answered_at);
CREATE INDEX practice_answers_question ON practice_answers (question_id);
