DROP TABLE phone_calls;
DROP TABLE scenarios;
DROP TABLE rubric_versions;
DROP TABLE rubrics;
