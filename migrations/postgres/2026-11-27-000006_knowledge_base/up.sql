-- Knowledge base (issue 7): articles with versions, attachments, mandatory
-- assignments, reading evidence, exemptions and the monthly reading-penalty
-- ledger's closings.

-- An article; its text lives in versions. `audience` (JSON, as exams') says
-- who may read it; empty units = everyone signed in.
CREATE TABLE articles (
    id SERIAL PRIMARY KEY,
    category TEXT NOT NULL,
    tags TEXT NOT NULL,
    effective_date DATE NOT NULL,
    audience TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Every edit is a version; `material` = 实质性修改 (assigned readers read again).
-- `chars` = the length that sets the minimum reading time.
CREATE TABLE article_versions (
    id SERIAL PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    chars INTEGER NOT NULL,
    material BOOLEAN NOT NULL,
    change_note TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (article_id, version)
);

-- Images and files attached to an article, served only to signed-in users.
CREATE TABLE article_files (
    id SERIAL PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);

-- A mandatory reading (必读): an article's version to be read by an audience
-- by a due date (Asia/Shanghai, end of day inclusive). A material change
-- adds a new assignment for the new version with a new due date; the old one
-- stays for the ledger of its month. `scope_unit`: the unit of the
-- supervisor who assigned it (NULL: a trainer, city-wide).
CREATE TABLE assignments (
    id SERIAL PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version_id INTEGER NOT NULL REFERENCES article_versions(id),
    audience TEXT NOT NULL,
    due_date DATE NOT NULL,
    scope_unit INTEGER REFERENCES org_units(id),
    active BOOLEAN NOT NULL,
    assigned_by INTEGER REFERENCES users(id),
    assigned_at TIMESTAMP NOT NULL
);
CREATE INDEX assignments_due ON assignments (due_date);

-- Reading evidence of one person for one version.
CREATE TABLE readings (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    version_id INTEGER NOT NULL REFERENCES article_versions(id),
    first_opened_at TIMESTAMP NOT NULL,
    last_beat_at TIMESTAMP NOT NULL,
    active_seconds INTEGER NOT NULL,
    reached_end BOOLEAN NOT NULL,
    confirmed_at TIMESTAMP,
    UNIQUE (user_id, version_id)
);

-- A supervisor's exemption of one person from one assignment, with a reason.
CREATE TABLE reading_exemptions (
    id SERIAL PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (assignment_id, user_id)
);

-- Closing a month's reading-penalty ledger: the rate used (fen) and the
-- frozen ledger (JSON); re-opening keeps the row, as month_closes.
CREATE TABLE ledger_closes (
    id SERIAL PRIMARY KEY,
    month TEXT NOT NULL,
    rate_fen INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    closed_at TIMESTAMP NOT NULL,
    closed_by INTEGER REFERENCES users(id),
    reopened_at TIMESTAMP,
    reopened_by INTEGER REFERENCES users(id),
    reopen_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_closes_month ON ledger_closes (month);
