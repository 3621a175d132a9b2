-- Pictures imported with a question (from a Word file), shown with it on the exam page.
CREATE TABLE question_images (
    id SERIAL PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (question_id, position)
);
