-- Phone tests (电话拨测, issue 8): versioned rubrics, scenarios, and the
-- scored calls (a second tester's independent scoring of a call, for
-- calibration, is a call row pointing at the first).

CREATE TABLE rubrics (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Every edit of a rubric is a version; `items` is JSON: [{code, name,
-- points, critical, allow_na}] with points summing to 100.
CREATE TABLE rubric_versions (
    id SERIAL PRIMARY KEY,
    rubric_id INTEGER NOT NULL REFERENCES rubrics(id),
    version INTEGER NOT NULL,
    items TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (rubric_id, version)
);

-- What a tester asks: by channel and business, the expected key points and
-- the knowledge-base articles behind them (JSON list of article ids).
CREATE TABLE scenarios (
    id SERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    channel TEXT NOT NULL,
    business TEXT NOT NULL,
    question TEXT NOT NULL,
    key_points TEXT NOT NULL,
    article_ids TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One scored call. `month` is the tested month (Asia/Shanghai) of
-- `called_at` (UTC). `scores` is JSON {item code: hundredths or null for
-- N/A}, scored with `rubric_version_id`; `total` in hundredths. `clerk_id`
-- NULL = the clerk who answered was not identified. `second_of` = the call
-- this row scores a second time (calibration).
CREATE TABLE phone_calls (
    id SERIAL PRIMARY KEY,
    called_at TIMESTAMP NOT NULL,
    month TEXT NOT NULL,
    hall_id INTEGER NOT NULL REFERENCES org_units(id),
    clerk_id INTEGER REFERENCES users(id),
    tester_id INTEGER NOT NULL REFERENCES users(id),
    scenario_id INTEGER REFERENCES scenarios(id),
    rubric_version_id INTEGER NOT NULL REFERENCES rubric_versions(id),
    scores TEXT NOT NULL,
    total INTEGER NOT NULL,
    critical_failed BOOLEAN NOT NULL,
    rings INTEGER NOT NULL,
    duration_seconds INTEGER NOT NULL,
    notes TEXT NOT NULL,
    recording_ref TEXT NOT NULL,
    second_of INTEGER REFERENCES phone_calls(id),
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX phone_calls_month ON phone_calls (month, hall_id);
CREATE INDEX phone_calls_clerk ON phone_calls (clerk_id, month);
