//! The signed-in state kept in the (signed, encrypted) session cookie: the user
//! id and the account's session epoch. Bumping the epoch in the database ends
//! every session of that account at its next request.

use actix_session::Session;

use super::{CurrentUser, Grant, Role};
use crate::accounts::User;
use crate::db::Conn;
use crate::org::OrgUnit;
use crate::web::{csrf, AppError};
use crate::AppState;

const USER_ID: &str = "uid";
const EPOCH: &str = "epoch";

/// Loads the user of this session, or None (ending the session if the account
/// was deactivated or its password changed elsewhere).
pub async fn load_user(
    session: &Session,
    state: &AppState,
) -> Result<Option<CurrentUser>, AppError> {
    let Ok(Some(user_id)) = session.get::<i32>(USER_ID) else {
        return Ok(None);
    };
    let epoch = session.get::<i32>(EPOCH).ok().flatten();
    let loaded = state
        .db(move |conn| Ok(load_current(conn, user_id)?))
        .await?;
    match loaded {
        Some((user, db_epoch, active)) if active && Some(db_epoch) == epoch => Ok(Some(user)),
        _ => {
            end(session);
            Ok(None)
        }
    }
}

/// The user with hall and grants, plus the session epoch and active flag.
pub fn load_current(
    conn: &mut Conn,
    user_id: i32,
) -> diesel::QueryResult<Option<(CurrentUser, i32, bool)>> {
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
            Some(Grant {
                role,
                role_label: role.label(),
                unit_id: g.unit_id,
                unit_name: g.unit_name,
            })
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
    Ok(Some((current, user.session_epoch, user.active)))
}

/// Starts a signed-in session with a fresh id and a fresh CSRF token.
pub fn start(session: &Session, user_id: i32, epoch: i32) -> Result<(), AppError> {
    session.renew();
    session
        .insert(USER_ID, user_id)
        .map_err(AppError::internal)?;
    session.insert(EPOCH, epoch).map_err(AppError::internal)?;
    session
        .insert(csrf::SESSION_KEY, csrf::new_token())
        .map_err(AppError::internal)?;
    Ok(())
}

/// Keeps the current session valid after its own password change bumped the epoch.
pub fn set_epoch(session: &Session, epoch: i32) -> Result<(), AppError> {
    session.insert(EPOCH, epoch).map_err(AppError::internal)
}

/// Ends the signed-in state. The cookie is emptied rather than deleted, so a
/// flash message and a new CSRF token can still ride on it.
pub fn end(session: &Session) {
    session.clear();
    session.renew();
}
