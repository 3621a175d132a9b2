-- Back to one attempt per candidate and exam: later practice rounds go.
DELETE FROM attempt_items WHERE attempt_id IN (SELECT id FROM attempts WHERE round > 1);
UPDATE review_cases SET retest_attempt_id = NULL WHERE retest_attempt_id IN (SELECT id FROM attempts WHERE round > 1);
DELETE FROM attempts WHERE round > 1;
ALTER TABLE attempts DROP CONSTRAINT attempts_exam_id_user_id_round_key;
ALTER TABLE attempts ADD CONSTRAINT attempts_exam_id_user_id_key UNIQUE (exam_id, user_id);
ALTER TABLE attempts DROP COLUMN round;
