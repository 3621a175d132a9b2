-- 补学: mandatory reading assigned from a weak spot of a month's exam (a
-- knowledge point in a county, hall or the city) to exactly the clerks who
-- answered its questions wrong. Its assignments are ordinary mandatory items.
CREATE TABLE remedials (
    id SERIAL PRIMARY KEY,
    knowledge_point TEXT NOT NULL,
    month TEXT NOT NULL,
    unit_id INTEGER REFERENCES org_units(id),
    people TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE remedial_assignments (
    id SERIAL PRIMARY KEY,
    remedial_id INTEGER NOT NULL REFERENCES remedials(id),
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    UNIQUE (assignment_id)
);
