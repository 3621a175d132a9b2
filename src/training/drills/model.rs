//! Drills and business types in the database, the staff and halls the
//! drill pages offer (who may see or record a hall: [`crate::training::access`]).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::form::{self, TypeFields};
use crate::auth::{CurrentUser, Role};
use crate::db::{now, Conn};
use crate::domain::{Month, OrgTree};
use crate::org::{OrgUnit, UnitKind};
use crate::schema::{drill_types, drills, role_assignments, users};
use crate::training::access::{may_record, may_view};

/// A business type drilled, with its target time.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = drill_types)]
pub struct DrillType {
    pub id: i32,
    pub name: String,
    pub target_seconds: i32,
    pub position: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl DrillType {
    /// The name of type `id` among `types`; empty when it is not there.
    pub fn name_in(types: &[DrillType], id: i32) -> String {
        types.iter().find(|t| t.id == id).map(|t| t.name.clone()).unwrap_or_default()
    }

    /// Every type, active first, in the trainers' order.
    pub fn all(conn: &mut Conn) -> QueryResult<Vec<DrillType>> {
        drill_types::table
            .order((drill_types::active.desc(), drill_types::position, drill_types::id))
            .select(DrillType::as_select())
            .load(conn)
    }
}

/// One timed drill (rule 9).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = drills)]
pub struct Drill {
    pub id: i32,
    pub drilled_on: NaiveDate,
    pub month: Month,
    pub hall_id: i32,
    pub clerk_id: i32,
    pub drill_type_id: i32,
    pub seconds: i32,
    pub errors: i32,
    pub notes: String,
    pub recorded_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// A drill to store. The month is derived from the date.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = drills)]
pub struct NewDrill {
    pub drilled_on: NaiveDate,
    pub hall_id: i32,
    pub clerk_id: i32,
    pub drill_type_id: i32,
    pub seconds: i32,
    pub errors: i32,
    pub notes: String,
}

impl NewDrill {
    pub fn insert(&self, conn: &mut Conn, by: Option<i32>) -> QueryResult<i32> {
        diesel::insert_into(drills::table)
            .values((
                self,
                drills::month.eq(Month::of_date(self.drilled_on)),
                drills::recorded_by.eq(by),
                drills::created_at.eq(now()),
            ))
            .returning(drills::id)
            .get_result(conn)
    }
}

/// The drills of the months `from..=to` (stored as `YYYY-MM`, so compared as text), oldest first.
pub fn drills_between(conn: &mut Conn, from: Month, to: Month) -> QueryResult<Vec<Drill>> {
    drills::table
        .filter(drills::month.ge(from))
        .filter(drills::month.le(to))
        .order((drills::drilled_on, drills::id))
        .select(Drill::as_select())
        .load(conn)
}

pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Drill> {
    drills::table.find(id).select(Drill::as_select()).first(conn)
}

pub fn delete(conn: &mut Conn, id: i32) -> QueryResult<usize> {
    diesel::delete(drills::table.find(id)).execute(conn)
}

/// A hall's drills of a month, by date.
pub fn of_hall(conn: &mut Conn, hall_id: i32, month: Month) -> QueryResult<Vec<Drill>> {
    drills::table
        .filter(drills::hall_id.eq(hall_id))
        .filter(drills::month.eq(month))
        .order((drills::drilled_on, drills::id))
        .select(Drill::as_select())
        .load(conn)
}

/// A clerk's drills of a month, by date.
pub fn of_clerk(conn: &mut Conn, clerk_id: i32, month: Month) -> QueryResult<Vec<Drill>> {
    drills::table
        .filter(drills::clerk_id.eq(clerk_id))
        .filter(drills::month.eq(month))
        .order((drills::drilled_on, drills::id))
        .select(Drill::as_select())
        .load(conn)
}

/// (clerk, date, type, seconds) of the drills between two dates: the import's duplicate check.
pub fn keys_between(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(i32, NaiveDate, i32, i32)>> {
    drills::table
        .filter(drills::drilled_on.ge(from))
        .filter(drills::drilled_on.le(to))
        .select((drills::clerk_id, drills::drilled_on, drills::drill_type_id, drills::seconds))
        .load(conn)
}

// ---- Business types ----

pub fn find_type(conn: &mut Conn, id: i32) -> QueryResult<DrillType> {
    drill_types::table.find(id).select(DrillType::as_select()).first(conn)
}

/// The columns a type's form sets, on insert and update alike.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = drill_types)]
struct TypeColumns<'a> {
    name: &'a str,
    target_seconds: i32,
    position: i32,
    active: bool,
    updated_at: NaiveDateTime,
}

/// Adds (`id` None) or edits a type; retiring is `active = false`, never a delete.
pub fn save_type(conn: &mut Conn, id: Option<i32>, f: &TypeFields, active: bool) -> QueryResult<i32> {
    let at = now();
    let columns = TypeColumns {
        name: &f.name,
        target_seconds: f.target_seconds,
        position: f.position,
        active,
        updated_at: at,
    };
    match id {
        Some(id) => {
            diesel::update(drill_types::table.find(id)).set(columns).execute(conn)?;
            Ok(id)
        }
        None => diesel::insert_into(drill_types::table)
            .values((columns, drill_types::created_at.eq(at)))
            .returning(drill_types::id)
            .get_result(conn),
    }
}

// ---- People ----

/// A member of a hall's staff, for the clerk select and the tables.
#[derive(Debug, Clone, Serialize)]
pub struct Staff {
    pub id: i32,
    pub staff_no: String,
    pub name: String,
    /// "10001 张三".
    pub label: String,
}

fn staff_of(rows: Vec<(i32, Option<String>, String)>) -> Vec<Staff> {
    let mut out: Vec<Staff> = rows
        .into_iter()
        .map(|(id, no, name)| {
            let staff_no = no.unwrap_or_default();
            let label = format!("{staff_no} {name}").trim().to_string();
            Staff { id, staff_no, name, label }
        })
        .collect();
    out.sort_by(|a, b| (&a.staff_no, &a.name, a.id).cmp(&(&b.staff_no, &b.name, b.id)));
    out
}

/// A hall's active staff (everyone whose hall it is), by staff number.
pub fn hall_staff(conn: &mut Conn, hall_id: i32) -> QueryResult<Vec<Staff>> {
    let rows = users::table
        .filter(users::active.eq(true))
        .filter(users::hall_id.eq(hall_id))
        .select((users::id, users::staff_no, users::name))
        .load(conn)?;
    Ok(staff_of(rows))
}

/// People by id (any state), for the names in tables.
pub fn people(conn: &mut Conn, ids: &[i32]) -> QueryResult<HashMap<i32, Staff>> {
    let rows = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::staff_no, users::name))
        .load(conn)?;
    Ok(staff_of(rows).into_iter().map(|s| (s.id, s)).collect())
}

/// The names of a hall's team leaders (the report's header).
pub fn team_leaders(conn: &mut Conn, hall_id: i32) -> QueryResult<Vec<String>> {
    role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::role.eq(Role::TeamLeader.code()))
        .filter(role_assignments::org_unit_id.eq(hall_id))
        .filter(users::active.eq(true))
        .order(users::name)
        .select(users::name)
        .load(conn)
}

// ---- The halls a person sees or records in ----

/// Team leaders keep to the last quarter; admins are not limited.
pub fn limited(user: &CurrentUser) -> bool {
    !user.has_role(Role::Admin)
}

/// A hall the pages offer: (id, "区县 · 营业厅").
#[derive(Debug, Clone, Serialize)]
pub struct HallChoice {
    pub id: i32,
    pub label: String,
    pub area: String,
    pub name: String,
}

/// The active halls `keep` accepts, by area then name.
pub fn halls_where(conn: &mut Conn, keep: impl Fn(i32) -> bool) -> QueryResult<Vec<HallChoice>> {
    Ok(OrgUnit::halls(conn)?
        .into_iter()
        .filter(|h| h.active && keep(h.id))
        .map(|h| HallChoice {
            id: h.id,
            label: format!("{} · {}", h.area, h.name),
            area: h.area,
            name: h.name,
        })
        .collect())
}

/// The halls `user` may see, or record in.
pub fn visible_halls(conn: &mut Conn, user: &CurrentUser) -> QueryResult<Vec<HallChoice>> {
    let tree = OrgTree::load(conn)?;
    halls_where(conn, |h| may_view(user, &tree, h))
}

pub fn recording_halls(conn: &mut Conn, user: &CurrentUser) -> QueryResult<Vec<HallChoice>> {
    halls_where(conn, |h| may_record(user, h))
}

/// Whether a unit is an existing hall.
pub fn is_hall(conn: &mut Conn, id: i32) -> QueryResult<bool> {
    Ok(OrgUnit::find(conn, id).optional()?.is_some_and(|u| u.kind() == Some(UnitKind::Hall)))
}

/// Today in the branch's time zone.
pub fn today() -> NaiveDate {
    crate::time::local_date(now())
}

/// The date check for `user` (team leaders: the last quarter).
pub fn check_date(user: &CurrentUser, date: NaiveDate) -> Result<(), String> {
    form::check_date(date, today(), limited(user))
}
