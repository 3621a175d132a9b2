//! Exempting one person from one mandatory item (leave, joined after the
//! assignment): who may, and the record.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::Readers;
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::kb::model::Assignment;
use crate::schema::{assignments, reading_exemptions};

/// Whether `me` may exempt a person of this hall ancestry: an admin, or a
/// supervisor over one of its units (trainers see the ledger but do not exempt).
pub fn may_exempt(me: &CurrentUser, ancestry: &[i32]) -> bool {
    me.has_role(Role::Admin) || me.scopes(Role::Supervisor).iter().any(|s| ancestry.contains(s))
}

/// One person and one assignment, as an exemption needs them.
pub struct Target {
    pub assignment: Assignment,
    pub title: String,
    pub staff_no: String,
    pub name: String,
    pub ancestry: Vec<i32>,
    /// The assignment is for them.
    pub in_audience: bool,
    pub exempted: bool,
}

/// The exemption's target; None when the assignment or the active person is missing.
pub fn target(conn: &mut Conn, assignment_id: i32, user_id: i32) -> QueryResult<Option<Target>> {
    let Some(assignment) =
        assignments::table.find(assignment_id).select(Assignment::as_select()).first(conn).optional()?
    else {
        return Ok(None);
    };
    let r = Readers::load(conn, std::slice::from_ref(&assignment))?;
    let Some(s) = r.staff.iter().find(|s| s.id == user_id) else { return Ok(None) };
    Ok(Some(Target {
        title: r.title(assignment.article_id).to_string(),
        staff_no: s.staff_no.clone(),
        name: s.name.clone(),
        ancestry: s.ancestry.clone(),
        in_audience: assignment.audience().contains(s.id, &s.ancestry, &s.roles),
        exempted: r.exemption(assignment.id, user_id).is_some(),
        assignment,
    }))
}

pub fn insert_exemption(
    conn: &mut Conn,
    assignment_id: i32,
    user_id: i32,
    reason: &str,
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(reading_exemptions::table)
        .values((
            reading_exemptions::assignment_id.eq(assignment_id),
            reading_exemptions::user_id.eq(user_id),
            reading_exemptions::reason.eq(reason),
            reading_exemptions::created_by.eq(Some(by)),
            reading_exemptions::created_at.eq(at),
        ))
        .execute(conn)
}

/// Takes an exemption back; the item counts again from now on.
pub fn delete_exemption(conn: &mut Conn, assignment_id: i32, user_id: i32) -> QueryResult<usize> {
    diesel::delete(
        reading_exemptions::table
            .filter(reading_exemptions::assignment_id.eq(assignment_id))
            .filter(reading_exemptions::user_id.eq(user_id)),
    )
    .execute(conn)
}
