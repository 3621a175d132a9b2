DROP TABLE question_flags;
DROP TABLE question_sources;
