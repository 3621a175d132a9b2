DROP TABLE attempt_items; DROP TABLE attempts; DROP TABLE sittings; DROP TABLE exam_people; DROP TABLE exams;
