-- The audit log is append-only: the database itself refuses to change or
-- remove a line, so not even a bug (or a hand-typed UPDATE) can rewrite who
-- changed a grade, lifted a flag or granted a role.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
