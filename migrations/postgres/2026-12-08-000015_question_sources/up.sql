-- Where a question is taught: a knowledge-base article, and a section
-- heading inside it ('' for the whole article).
CREATE TABLE question_sources (
    id SERIAL PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    heading TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (question_id, article_id, heading)
);
CREATE INDEX question_sources_article ON question_sources (article_id);

-- 待复核: a question whose article changed materially, until a trainer
-- clears it (kept, edited or retired) with a note.
CREATE TABLE question_flags (
    id SERIAL PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    article_version INTEGER NOT NULL,
    flagged_at TIMESTAMP NOT NULL,
    cleared_at TIMESTAMP,
    cleared_by INTEGER REFERENCES users(id),
    outcome TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX question_flags_question ON question_flags (question_id, cleared_at);
