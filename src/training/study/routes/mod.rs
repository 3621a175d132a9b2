//! Study-session pages: the month of one hall (sessions, hours against the
//! target, each person's attendance) or, for supervisors, trainers and
//! admins, every hall in scope with the short ones marked ([`list`]); a
//! session's page ([`show`]); the Excel export ([`export`]); recording,
//! changing and deleting ([`form`], [`save`]).

pub mod export;
pub mod form;
pub mod list;
pub mod save;
pub mod show;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::StudySession;
use super::rules::StudyKind;
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::domain::OrgTree;
use crate::org::{OrgUnit, UnitKind};
use crate::training::access::may_view;
use crate::web::{msg, AppError, AppResult};

#[derive(Deserialize)]
pub struct ListQuery {
    pub month: Option<String>,
    pub hall: Option<String>,
    /// "1": only the halls under target.
    pub short: Option<String>,
}

/// The asked hall id, if any; text that is not a number is a 400.
pub fn hall_of(asked: Option<&str>) -> AppResult<Option<i32>> {
    match asked.map(str::trim).filter(|h| !h.is_empty()) {
        Some(h) => h.parse().map(Some).map_err(|_| AppError::bad_request(msg::STUDY_HALL_PARAM)),
        None => Ok(None),
    }
}

/// The unit if it is a hall `me` may see; anything else is "not found".
pub fn visible_hall(conn: &mut Conn, me: &CurrentUser, id: i32) -> AppResult<OrgUnit> {
    let unit = OrgUnit::find(conn, id).optional()?.ok_or(AppError::NotFound)?;
    let tree = OrgTree::load(conn)?;
    if unit.kind() != Some(UnitKind::Hall) || !may_view(me, &tree, id) {
        return Err(AppError::NotFound);
    }
    Ok(unit)
}

/// One session in a list.
#[derive(Serialize)]
pub struct SessionRow {
    pub id: i32,
    pub held_on: String,
    /// "08:30–09:15", or '' when only the minutes were entered.
    pub time: String,
    pub minutes: i32,
    pub kind: &'static str,
    pub topic: String,
    pub attendees: usize,
}

impl SessionRow {
    pub fn new(s: &StudySession, attendees: usize) -> SessionRow {
        SessionRow {
            id: s.id,
            held_on: s.held_on.to_string(),
            time: if s.starts.is_empty() { String::new() } else { format!("{}–{}", s.starts, s.ends) },
            minutes: s.minutes,
            kind: kind_label(&s.kind),
            topic: s.topic.clone(),
            attendees,
        }
    }
}

pub fn kind_label(code: &str) -> &'static str {
    StudyKind::parse(code).map_or("", |k| k.label())
}
