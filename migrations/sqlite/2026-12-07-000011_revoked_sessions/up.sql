-- Sessions ended by logout before they ran out. Sessions live in signed,
-- encrypted cookies, so a copy of one taken before logout would still work:
-- each session carries a random id, and a logged-out id is refused until the
-- session's absolute expiry (expires_at), after which the row is pruned.
CREATE TABLE revoked_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    session_id TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX revoked_sessions_user ON revoked_sessions(user_id);
CREATE INDEX revoked_sessions_expires ON revoked_sessions(expires_at);
