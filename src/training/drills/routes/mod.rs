//! The drill pages: a hall's month (per clerk × business type, per week, the
//! drills themselves), the halls side by side for supervisors, trainers and
//! admins, a clerk's own drills ([`list`]); the quick entry ([`entry`]);
//! deleting a drill ([`delete`]); the monthly feedback ([`report`]); the
//! business types ([`types`]).

pub mod delete;
pub mod entry;
pub mod list;
pub mod report;
pub mod types;

use serde::Deserialize;

use super::model::{self, HallChoice};
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::training::access::oversees;
use crate::web::{AppError, AppResult};

#[derive(Deserialize)]
pub struct MonthQuery {
    pub month: Option<String>,
    pub hall: Option<i32>,
}

/// The hall a page is about: the asked one if `me` may see it (else 403);
/// without one, the only hall a team leader or manager has. None: choose.
pub fn pick_hall(
    conn: &mut Conn,
    me: &CurrentUser,
    asked: Option<i32>,
) -> AppResult<(Option<i32>, Vec<HallChoice>)> {
    let halls = model::visible_halls(conn, me)?;
    match asked {
        Some(h) if halls.iter().any(|c| c.id == h) => Ok((Some(h), halls)),
        Some(_) => Err(AppError::Forbidden),
        None if halls.len() == 1 && !oversees(me) => Ok((Some(halls[0].id), halls)),
        None => Ok((None, halls)),
    }
}
