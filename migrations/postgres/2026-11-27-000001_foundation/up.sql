-- Foundation: org tree, accounts, role assignments, audit log, uploaded files.
-- The PostgreSQL twin of migrations/sqlite: same tables, columns, indexes and keys.

CREATE TABLE org_units (
    id SERIAL PRIMARY KEY,
    parent_id INTEGER REFERENCES org_units(id),
    -- city | district (市区) | county (县分) | hall (营业厅)
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_id);

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    -- 工号; NULL for accounts made by create-admin
    staff_no TEXT UNIQUE,
    name TEXT NOT NULL,
    phone TEXT,
    hall_id INTEGER REFERENCES org_units(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    -- bumped on password change / reset / deactivation: sessions carrying an older epoch end
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);
CREATE INDEX users_hall ON users(hall_id);

CREATE TABLE role_assignments (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    UNIQUE (user_id, role, org_unit_id)
);
CREATE INDEX role_assignments_unit ON role_assignments(org_unit_id);

CREATE TABLE audit_log (
    id SERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);

-- Files kept between an import's dry run and its confirmation (app servers stay stateless).
CREATE TABLE uploads (
    id SERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
