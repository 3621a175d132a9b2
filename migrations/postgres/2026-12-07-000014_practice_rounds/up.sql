-- A practice exam may be sat again and again: a candidate's attempts at an
-- exam are numbered (round), unique together with the exam and candidate;
-- every other exam keeps one round.
ALTER TABLE attempts ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE attempts DROP CONSTRAINT attempts_exam_id_user_id_key;
ALTER TABLE attempts ADD CONSTRAINT attempts_exam_id_user_id_round_key UNIQUE (exam_id, user_id, round);
