DROP TABLE uploads;
DROP TABLE audit_log;
DROP TABLE role_assignments;
DROP TABLE users;
DROP TABLE org_units;
