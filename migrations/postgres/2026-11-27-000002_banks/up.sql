-- Question banks (题库). A question's content lives in versions: an edit adds
-- a version, and exams keep the version they used.

CREATE TABLE banks (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE questions (
    id SERIAL PRIMARY KEY,
    bank_id INTEGER NOT NULL REFERENCES banks(id),
    -- the number of the current version in question_versions
    current_version INTEGER NOT NULL,
    -- active | retired (retired questions are never drawn again)
    status TEXT NOT NULL,
    -- normalised stem + options of the current version, for duplicate detection
    dedup_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX questions_bank ON questions(bank_id);
CREATE INDEX questions_dedup ON questions(bank_id, dedup_key);

CREATE TABLE question_versions (
    id SERIAL PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions(id),
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    stem TEXT NOT NULL,
    -- JSON: options, answer, explanation, source
    body TEXT NOT NULL,
    -- hundredths of a point
    points INTEGER NOT NULL,
    difficulty INTEGER NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    -- JSON array of strings (searchable with LIKE)
    knowledge_points TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (question_id, version)
);
