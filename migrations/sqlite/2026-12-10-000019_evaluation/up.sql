-- The monthly 100-point evaluation, customer satisfaction and the team
-- leaders' 360-degree evaluation (issue 25).

-- One customer's SMS evaluation reply (回复明细). `month` is the Asia/Shanghai
-- month of `replied_at`; `rating` is the cell as the carrier sent it
-- (满意/一般/不满意 or 1–10), read by satisfaction::rules::parse_rating;
-- `ref_no` the carrier's serial when the file has one (duplicates).
CREATE TABLE satisfaction_replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    month TEXT NOT NULL,
    replied_at TIMESTAMP NOT NULL,
    hall_id INTEGER NOT NULL REFERENCES org_units(id),
    clerk_id INTEGER REFERENCES users(id),
    rating TEXT NOT NULL,
    comment TEXT NOT NULL,
    ref_no TEXT NOT NULL,
    imported_by INTEGER REFERENCES users(id),
    imported_at TIMESTAMP NOT NULL
);
CREATE INDEX satisfaction_replies_month ON satisfaction_replies (month, hall_id);

-- The province's monthly satisfaction rate per hall (单厅满意率), hundredths of a percent.
CREATE TABLE hall_satisfaction (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    month TEXT NOT NULL,
    hall_id INTEGER NOT NULL REFERENCES org_units(id),
    rate INTEGER NOT NULL,
    surveyed INTEGER,
    imported_by INTEGER REFERENCES users(id),
    imported_at TIMESTAMP NOT NULL,
    UNIQUE (month, hall_id)
);

-- An evaluation scheme of a role ('clerk', 'team_leader'); every edit is a
-- new version. `body` is JSON {components, missing} (evaluation::scheme).
CREATE TABLE evaluation_schemes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    role TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (role, version)
);

-- A manager's rating of a rated component (points in hundredths; a reason below full marks).
CREATE TABLE evaluation_ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    month TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    component TEXT NOT NULL,
    points INTEGER NOT NULL,
    reason TEXT NOT NULL,
    rated_by INTEGER REFERENCES users(id),
    rated_at TIMESTAMP NOT NULL,
    UNIQUE (month, user_id, component)
);

-- An appeal (申诉) of one component: 'open', then 'upheld' (with the new
-- points, which replace the component's) or 'rejected' (with a reason).
CREATE TABLE evaluation_appeals (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    month TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    component TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    filed_at TIMESTAMP NOT NULL,
    points_before INTEGER,
    points_after INTEGER,
    answer TEXT NOT NULL,
    answered_by INTEGER REFERENCES users(id),
    answered_at TIMESTAMP
);
CREATE INDEX evaluation_appeals_month ON evaluation_appeals (month, user_id);

-- 360-degree rounds: a period, the questionnaire (JSON items, 1–5 each),
-- 'draft' (raters adjusted), 'open', 'closed'.
CREATE TABLE review360_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    title TEXT NOT NULL,
    month TEXT NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    questionnaire TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    opened_at TIMESTAMP,
    closed_at TIMESTAMP
);

-- Who rates whom, from which perspective ('superior', 'peer', 'subordinate'),
-- and whether they have answered — for reminders. Nothing here names an answer.
CREATE TABLE review360_raters (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    round_id INTEGER NOT NULL REFERENCES review360_rounds(id),
    leader_id INTEGER NOT NULL REFERENCES users(id),
    rater_id INTEGER NOT NULL REFERENCES users(id),
    perspective TEXT NOT NULL,
    done BOOLEAN NOT NULL,
    UNIQUE (round_id, leader_id, rater_id)
);

-- The answers, stored apart from who gave them: a random key, no rater, no
-- time, no sequence (WITHOUT ROWID: rows are kept in key order); each submit
-- writes the group's answers again in a shuffled order. The superior's answer
-- (one known person) is in the same table, shown as theirs.
CREATE TABLE review360_answers (
    key TEXT PRIMARY KEY NOT NULL,
    round_id INTEGER NOT NULL REFERENCES review360_rounds(id),
    leader_id INTEGER NOT NULL REFERENCES users(id),
    perspective TEXT NOT NULL,
    scores TEXT NOT NULL,
    comment TEXT NOT NULL
) WITHOUT ROWID;
