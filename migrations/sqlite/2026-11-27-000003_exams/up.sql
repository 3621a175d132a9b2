-- Exams (考试): composed by trainers, sat by candidates. An attempt freezes
-- the question versions it drew; every answer is one row, saved as given.

CREATE TABLE exams (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- YYYY-MM in Asia/Shanghai
    month TEXT NOT NULL,
    title TEXT NOT NULL,
    -- monthly | retest | practice
    kind TEXT NOT NULL,
    -- JSON array of channel codes
    channels TEXT NOT NULL,
    -- UTC
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    time_limit_minutes INTEGER NOT NULL,
    -- hundredths of the 0–100 score
    pass_mark INTEGER NOT NULL,
    -- JSON: units, roles, include, exclude
    audience TEXT NOT NULL,
    -- JSON: a fixed list, or sections drawn from a bank
    paper_rule TEXT NOT NULL,
    seed BIGINT NOT NULL,
    -- none | score | full (what candidates see after close)
    review TEXT NOT NULL,
    -- CIDR ranges, one per line; empty = anywhere
    allowed_ips TEXT NOT NULL,
    -- JSON: county start offsets, random delay
    stagger TEXT NOT NULL,
    grace_seconds INTEGER NOT NULL,
    -- draft | published
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX exams_month ON exams(month);

-- Per-person settings of an exam: extra time, in-person (proctored) only.
CREATE TABLE exam_people (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    extra_minutes INTEGER NOT NULL,
    in_person BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (exam_id, user_id)
);

-- Proctored sittings: a room, a code shown in it, open or closed.
CREATE TABLE sittings (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    room TEXT NOT NULL,
    code TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    -- open | closed
    status TEXT NOT NULL,
    opened_by INTEGER REFERENCES users(id),
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX sittings_exam ON sittings(exam_id);

CREATE TABLE attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    -- the candidate's hall when the attempt started
    hall_id INTEGER REFERENCES org_units(id),
    -- in_progress | submitted
    status TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    deadline_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    -- self | deadline
    submitted_by TEXT,
    -- hundredths of a point
    earned INTEGER,
    possible INTEGER NOT NULL,
    -- hundredths of the 0–100 score; NULL until graded (and marked)
    score INTEGER,
    marking_pending BOOLEAN NOT NULL,
    -- the device that holds the attempt (the newest one to open it)
    device TEXT NOT NULL,
    sitting_id INTEGER REFERENCES sittings(id),
    UNIQUE (exam_id, user_id)
);
CREATE INDEX attempts_open ON attempts(status, deadline_at);

CREATE TABLE attempt_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    attempt_id INTEGER NOT NULL REFERENCES attempts(id),
    position INTEGER NOT NULL,
    question_id INTEGER NOT NULL REFERENCES questions(id),
    version_id INTEGER NOT NULL REFERENCES question_versions(id),
    -- hundredths of a point
    points INTEGER NOT NULL,
    -- JSON array: shown option i is the question's option order[i]
    option_order TEXT NOT NULL,
    -- JSON response, NULL = not answered
    response TEXT,
    flagged BOOLEAN NOT NULL,
    saved_at TIMESTAMP,
    earned INTEGER,
    marked_by INTEGER REFERENCES users(id),
    marked_at TIMESTAMP,
    UNIQUE (attempt_id, position)
);
