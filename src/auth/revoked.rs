//! Sessions ended by logout. A session lives in its (signed, encrypted)
//! cookie, so a copy of the cookie would outlive the logout; each session
//! carries a random id instead, and a logged-out id is kept here until the
//! session would have run out anyway (its absolute expiry), then pruned.
//! The ids are loaded with the user ([`super::session::load_current`]), so
//! other app servers see a logout within the user cache's lifetime.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Conn;
use crate::schema::revoked_sessions;

/// Ends session `session_id` of `user_id` (it would have run out at
/// `expires_at`), and prunes the rows of sessions that ran out by `now`.
pub fn revoke(
    conn: &mut Conn,
    user_id: i32,
    session_id: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(revoked_sessions::table.filter(revoked_sessions::expires_at.le(now))).execute(conn)?;
    diesel::insert_into(revoked_sessions::table)
        .values((
            revoked_sessions::user_id.eq(user_id),
            revoked_sessions::session_id.eq(session_id),
            revoked_sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The ended sessions of an account that have not run out yet.
pub fn of_user(conn: &mut Conn, user_id: i32, now: NaiveDateTime) -> QueryResult<Vec<String>> {
    revoked_sessions::table
        .filter(revoked_sessions::user_id.eq(user_id))
        .filter(revoked_sessions::expires_at.gt(now))
        .select(revoked_sessions::session_id)
        .load(conn)
}

/// copy-db: every row, ids included.
pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    let rows: Vec<(i32, i32, String, NaiveDateTime)> =
        revoked_sessions::table.order(revoked_sessions::id).load(from)?;
    for (id, user_id, session_id, expires_at) in rows {
        diesel::insert_into(revoked_sessions::table)
            .values((
                revoked_sessions::id.eq(id),
                revoked_sessions::user_id.eq(user_id),
                revoked_sessions::session_id.eq(session_id),
                revoked_sessions::expires_at.eq(expires_at),
            ))
            .execute(to)?;
    }
    Ok(())
}
