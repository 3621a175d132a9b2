DROP TABLE drills;
DROP TABLE drill_types;
DROP TABLE study_attendees;
DROP TABLE study_sessions;
