-- The supervisor's follow-up of one flagged clerk in one month: the status
-- (待沟通 → 已沟通 → 已安排复考 → 复考完成, or 豁免), the direct talk's note
-- (who talked, when, what was said) and an exemption's reason.
CREATE TABLE review_cases (
    id SERIAL PRIMARY KEY,
    month TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    talk_note TEXT NOT NULL,
    talked_by INTEGER REFERENCES users(id),
    talked_at TIMESTAMP,
    exempt_reason TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (month, user_id)
);
