DROP TABLE question_versions;
DROP TABLE questions;
DROP TABLE banks;
