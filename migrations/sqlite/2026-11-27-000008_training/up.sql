-- Training duties (issue 9): the hall's organised study sessions (业务学习,
-- DESIGN §4 rule 8) and the offline-environment drills (离线环境测试, rule 9).

-- One study session a team leader held for a hall. `held_on` is the local
-- (Asia/Shanghai) date and `month` its YYYY-MM; `starts`/`ends` are local
-- "HH:MM" times when given ('' when only the minutes were entered);
-- `minutes` always holds the length. `kind`: morning (晨会学习), topic
-- (专题培训), other (其他). `article_ids`: JSON list of KB article ids.
CREATE TABLE study_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    hall_id INTEGER NOT NULL REFERENCES org_units(id),
    held_on DATE NOT NULL,
    month TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    kind TEXT NOT NULL,
    topic TEXT NOT NULL,
    article_ids TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX study_sessions_month ON study_sessions (month, hall_id);

-- Who attended a session (from the hall's roster at the time).
CREATE TABLE study_attendees (
    session_id INTEGER NOT NULL REFERENCES study_sessions(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX study_attendees_user ON study_attendees (user_id);

-- The business types drilled (开户, 过户, 补换卡…), each with the target
-- handling time in seconds; trainers keep the list. Retired types stay for history.
CREATE TABLE drill_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    target_seconds INTEGER NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The types a new site starts with (trainers edit them): what a hall's
-- offline environment drills most, with typical target times.
INSERT INTO drill_types (name, target_seconds, position, active, created_at, updated_at) VALUES
    ('开户', 600, 1, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('过户', 720, 2, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('补换卡', 300, 3, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('缴费', 120, 4, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('携号转网', 900, 5, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('宽带装机', 840, 6, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('套餐变更', 360, 7, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- One timed drill of one clerk in the offline environment. `drilled_on` is
-- the local date, `month` its YYYY-MM; `hall_id` the clerk's hall when
-- drilled (history survives transfers); `errors` the mistakes counted.
CREATE TABLE drills (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    drilled_on DATE NOT NULL,
    month TEXT NOT NULL,
    hall_id INTEGER NOT NULL REFERENCES org_units(id),
    clerk_id INTEGER NOT NULL REFERENCES users(id),
    drill_type_id INTEGER NOT NULL REFERENCES drill_types(id),
    seconds INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    notes TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX drills_month ON drills (month, hall_id);
CREATE INDEX drills_clerk ON drills (clerk_id, month);
