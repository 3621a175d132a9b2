//! The signed-in state kept in the (signed, encrypted) session cookie: the user
//! id, the account's session epoch and a random session id. Bumping the epoch
//! in the database ends every session of that account at its next request;
//! logout ends one session by its id ([`super::revoked`]), since the cookie
//! itself cannot be taken back from whoever copied it.

use actix_session::Session;

use super::cache::{self, Loaded};
use super::{CurrentUser, Grant, Role};
use crate::accounts::User;
use crate::db::Conn;
use crate::org::OrgUnit;
use crate::web::{csrf, AppError};
use crate::AppState;

const USER_ID: &str = "uid";
const EPOCH: &str = "epoch";
const ISSUED_AT: &str = "iat";
const LAST_SEEN: &str = "seen";
const SESSION_ID: &str = "sid";

/// A session ends after this long without a request...
pub const IDLE_SECONDS: i64 = 2 * 3600;
/// ...and in any case this long after login.
pub const ABSOLUTE_SECONDS: i64 = 12 * 3600;
/// Last-seen is rewritten at most this often (each rewrite re-sends the cookie).
const SEEN_RESOLUTION: i64 = 60;

/// Whether a session issued at `iat` and last seen at `seen` has run out at `now` (Unix seconds).
pub fn expired(iat: i64, seen: i64, now: i64) -> bool {
    now - seen > IDLE_SECONDS || now - iat > ABSOLUTE_SECONDS || seen > now + SEEN_RESOLUTION
}

/// Now, by the app's clock (`crate::db::now`), as Unix seconds: session and
/// device-token times are compared with the logout revocations and login
/// throttle kept by the same clock, so a test that moves the clock moves them
/// all together (a session ends as it would after that much real time).
fn unix_now() -> i64 {
    crate::db::now().and_utc().timestamp()
}

/// Loads the user of this session, or None (ending the session if the account
/// was deactivated or its password changed elsewhere).
pub async fn load_user(session: &Session, state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    let Ok(Some(user_id)) = session.get::<i32>(USER_ID) else {
        return Ok(None);
    };
    let epoch = session.get::<i32>(EPOCH).ok().flatten();
    // Sessions from before session ids existed cannot be ended one by one: ended now.
    let Ok(Some(sid)) = session.get::<String>(SESSION_ID) else {
        end(session);
        return Ok(None);
    };
    let (now, iat, seen) = (
        unix_now(),
        session.get::<i64>(ISSUED_AT).ok().flatten(),
        session.get::<i64>(LAST_SEEN).ok().flatten(),
    );
    match (iat, seen) {
        (Some(iat), Some(seen)) if !expired(iat, seen, now) => {
            if now - seen >= SEEN_RESOLUTION {
                let _ = session.insert(LAST_SEEN, now);
            }
        }
        _ => {
            end(session);
            return Ok(None);
        }
    }
    let accepts = |l: &Loaded| l.active && Some(l.epoch) == epoch && !l.revoked.contains(&sid);
    if let Some(cached) = state.users.get(user_id).filter(accepts) {
        return Ok(Some(cached.user));
    }
    let ticket = cache::ticket();
    let loaded = state.db(move |conn| Ok(load_current(conn, user_id)?)).await?;
    match loaded {
        Some(loaded) if accepts(&loaded) => {
            state.users.put(user_id, loaded.clone(), ticket);
            Ok(Some(loaded.user))
        }
        _ => {
            end(session);
            Ok(None)
        }
    }
}

/// The user with hall and grants, plus the session epoch, the active flag and
/// the ids of the account's sessions ended by logout.
pub fn load_current(conn: &mut Conn, user_id: i32) -> diesel::QueryResult<Option<Loaded>> {
    let user = match User::find(conn, user_id) {
        Ok(user) => user,
        Err(diesel::result::Error::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let hall_name = match user.hall_id {
        Some(hall) => Some(OrgUnit::find(conn, hall)?.name),
        None => None,
    };
    let grants = User::grants(conn, user_id)?
        .into_iter()
        .filter_map(|g| {
            let role = Role::parse_code(&g.role)?;
            Some(Grant { role, role_label: role.label(), unit_id: g.unit_id, unit_name: g.unit_name })
        })
        .collect();
    let current = CurrentUser {
        id: user.id,
        username: user.username,
        staff_no: user.staff_no,
        name: user.name,
        hall_id: user.hall_id,
        hall_name,
        grants,
        must_change_password: user.must_change_password,
    };
    let revoked = super::revoked::of_user(conn, user_id, crate::db::now())?;
    Ok(Some(Loaded { user: current, epoch: user.session_epoch, active: user.active, revoked }))
}

/// Starts a signed-in session with a fresh id and a fresh CSRF token.
pub fn start(session: &Session, user_id: i32, epoch: i32) -> Result<(), AppError> {
    session.renew();
    session.insert(USER_ID, user_id).map_err(AppError::internal)?;
    session.insert(EPOCH, epoch).map_err(AppError::internal)?;
    let now = unix_now();
    session.insert(ISSUED_AT, now).map_err(AppError::internal)?;
    session.insert(LAST_SEEN, now).map_err(AppError::internal)?;
    session.insert(SESSION_ID, hex::encode(rand::random::<[u8; 16]>())).map_err(AppError::internal)?;
    session.insert(csrf::SESSION_KEY, csrf::new_token()).map_err(AppError::internal)?;
    Ok(())
}

/// Keeps the current session valid after its own password change bumped the epoch.
pub fn set_epoch(session: &Session, epoch: i32) -> Result<(), AppError> {
    session.insert(EPOCH, epoch).map_err(AppError::internal)
}

/// This session's id and the time it runs out in any case (its absolute
/// expiry, UTC), for ending it by logout.
pub fn id_and_expiry(session: &Session) -> Option<(String, chrono::NaiveDateTime)> {
    let sid = session.get::<String>(SESSION_ID).ok().flatten()?;
    let iat = session.get::<i64>(ISSUED_AT).ok().flatten()?;
    let until = chrono::DateTime::from_timestamp(iat.saturating_add(ABSOLUTE_SECONDS), 0)?;
    Some((sid, until.naive_utc()))
}

/// Ends the signed-in state. The cookie is emptied rather than deleted, so a
/// flash message and a new CSRF token can still ride on it.
pub fn end(session: &Session) {
    session.clear();
    session.renew();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_end_when_idle_or_old() {
        let h = 3600;
        let cases = [
            (0, 0, 0, false),
            (0, 0, 2 * h, false),
            (0, 0, 2 * h + 1, true),
            (0, 11 * h, 12 * h, false),
            (0, 12 * h, 12 * h + 1, true),
            (0, 5 * h, 0, true),
        ];
        for (iat, seen, now, want) in cases {
            assert_eq!(expired(iat, seen, now), want, "{iat} {seen} {now}");
        }
    }
}
