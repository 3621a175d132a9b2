DROP TABLE practice_answers;
ALTER TABLE banks DROP COLUMN practice;
