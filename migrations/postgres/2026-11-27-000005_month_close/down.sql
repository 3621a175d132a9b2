DROP TABLE month_flags;
DROP TABLE settings;
DROP TABLE month_closes;
ALTER TABLE review_cases DROP COLUMN retest_score;
ALTER TABLE review_cases DROP COLUMN retest_attempt_id;
ALTER TABLE exam_people DROP COLUMN flag_month;
ALTER TABLE exams DROP COLUMN source;
