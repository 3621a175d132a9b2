-- Hall inspections (营业厅巡检, issue 24): the versioned 30-item standard,
-- inspections (daily self-checks, city spot checks, cross inspections) saved
-- item by item, photos, the defect library and correction orders (纠错单).

-- Every edit of the standard is a version; `body` is JSON {items, bands}
-- (inspect::rules::Standard). An inspection keeps the version it used.
CREATE TABLE inspection_standards (
    id SERIAL PRIMARY KEY,
    version INTEGER NOT NULL UNIQUE,
    body TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);

-- A month's plan: the city's spot checks (kind 'spot') or a cross-inspection
-- round (kind 'cross'); a draft is adjusted, then published to its inspectors.
CREATE TABLE inspection_rounds (
    id SERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    month TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);

-- One hall of a round and who inspects it (a spot check: any city inspector).
CREATE TABLE inspection_assignments (
    id SERIAL PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    hall_id INTEGER NOT NULL REFERENCES org_units(id),
    inspector_id INTEGER REFERENCES users(id),
    UNIQUE (round_id, hall_id)
);

-- One inspection. `day` and `month` are the Asia/Shanghai date and month
-- it was started; `score` (hundredths of 100) and `zero_hits` are set when
-- it is submitted.
CREATE TABLE inspections (
    id SERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    hall_id INTEGER NOT NULL REFERENCES org_units(id),
    inspector_id INTEGER NOT NULL REFERENCES users(id),
    standard_id INTEGER NOT NULL REFERENCES inspection_standards(id),
    assignment_id INTEGER REFERENCES inspection_assignments(id),
    day DATE NOT NULL,
    month TEXT NOT NULL,
    queue_minutes INTEGER,
    queue_waiting INTEGER,
    score INTEGER,
    zero_hits INTEGER NOT NULL,
    started_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP
);
CREATE INDEX inspections_hall_day ON inspections (hall_id, day);
CREATE INDEX inspections_month ON inspections (month);
CREATE UNIQUE INDEX inspections_assignment ON inspections (assignment_id);

-- An item's verdict ('pass' | 'fail' | 'na') and note, saved as it is given.
CREATE TABLE inspection_results (
    id SERIAL PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_code TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (inspection_id, item_code)
);

-- A failed item of a submitted inspection: open until a later inspection of
-- the hall passes the item or the 纠错单 holding it is closed.
CREATE TABLE defects (
    id SERIAL PRIMARY KEY,
    hall_id INTEGER NOT NULL REFERENCES org_units(id),
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    item_code TEXT NOT NULL,
    item_name TEXT NOT NULL,
    section TEXT NOT NULL,
    note TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    order_id INTEGER
);
CREATE INDEX defects_hall ON defects (hall_id, closed_at);

-- A 纠错单 to the hall's county after a city or cross inspection.
-- status: 'open' | 'replied' | 'returned' | 'closed'.
CREATE TABLE correction_orders (
    id SERIAL PRIMARY KEY,
    inspection_id INTEGER NOT NULL UNIQUE REFERENCES inspections(id),
    hall_id INTEGER NOT NULL REFERENCES org_units(id),
    manager_id INTEGER REFERENCES users(id),
    due_date DATE NOT NULL,
    status TEXT NOT NULL,
    issued_by INTEGER NOT NULL REFERENCES users(id),
    issued_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX correction_orders_status ON correction_orders (status, due_date);

-- Every step of a 纠错单: issued, replied (what was done), returned (why),
-- closed; the order's page shows them as its history.
CREATE TABLE order_events (
    id SERIAL PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES correction_orders(id),
    action TEXT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES users(id),
    note TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);

-- A photo of a failed item (inspection_id + item_code) or of a rectification
-- (event_id of the reply). Re-encoded on upload (no EXIF), with a thumbnail.
CREATE TABLE inspection_photos (
    id SERIAL PRIMARY KEY,
    inspection_id INTEGER REFERENCES inspections(id),
    item_code TEXT NOT NULL,
    event_id INTEGER REFERENCES order_events(id),
    mime TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    thumb BYTEA NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspection_photos_inspection ON inspection_photos (inspection_id);
