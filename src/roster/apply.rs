//! The database side of a roster import: the snapshot a plan is computed
//! against, and the commit that writes a confirmed plan in one transaction.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use super::plan::{plan, ExistingStaff, Plan, Snapshot, UnitRef};
use super::rules::parse_rows;
use crate::accounts::model::NewUser;
use crate::accounts::User;
use crate::audit;
use crate::auth::Role;
use crate::db::{write, Conn};
use crate::org::{OrgUnit, UnitKind};
use crate::schema::{role_assignments, users};
use crate::web::msg;

pub fn snapshot(conn: &mut Conn) -> QueryResult<Snapshot> {
    let nodes = OrgUnit::nodes(conn)?;
    let all: Vec<User> = users::table.order(users::id).select(User::as_select()).load(conn)?;
    let grants: Vec<(i32, String, i32)> = role_assignments::table
        .select((role_assignments::user_id, role_assignments::role, role_assignments::org_unit_id))
        .load(conn)?;
    let mut by_user: HashMap<i32, Vec<(Role, i32)>> = HashMap::new();
    for (user_id, role, unit) in grants {
        if let Some(role) = Role::parse_code(&role) {
            by_user.entry(user_id).or_default().push((role, unit));
        }
    }
    let mut snap = Snapshot { nodes, ..Default::default() };
    for u in all {
        match u.staff_no {
            Some(staff_no) => snap.staff.push(ExistingStaff {
                id: u.id,
                username: u.username,
                staff_no,
                name: u.name,
                phone: u.phone,
                hall_id: u.hall_id,
                active: u.active,
                grants: by_user.remove(&u.id).unwrap_or_default(),
            }),
            None => snap.other_usernames.push(u.username),
        }
    }
    Ok(snap)
}

/// The dry run: validates the table and plans it against the database.
pub fn dry_run(conn: &mut Conn, table: &[Vec<String>]) -> QueryResult<Plan> {
    let (rows, errors) = parse_rows(table);
    Ok(plan(&rows, errors, &snapshot(conn)?))
}

pub struct CommitOptions<'a> {
    /// The fingerprint of the plan the admin confirmed; None from the CLI.
    pub expected_fingerprint: Option<&'a str>,
    pub deactivate_missing: bool,
    /// Hash of the initial password for new accounts (needed only if there are any).
    pub password_hash: Option<&'a str>,
    pub must_change_password: bool,
    pub actor: Option<i32>,
    pub ip: &'a str,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Outcome {
    pub units_created: usize,
    pub created: usize,
    pub updated: usize,
    pub deactivated: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", msg::import_error_count(.0.errors.len()))]
    Invalid(Box<Plan>),
    #[error("{}", msg::IMPORT_CHANGED)]
    Changed,
    #[error("{}", msg::IMPORT_NEEDS_PASSWORD)]
    NeedPassword,
    #[error("{}", msg::IMPORT_SELF_LOCKOUT)]
    SelfLockout,
    #[error("{}", msg::db_error_detail(.0))]
    Db(#[from] diesel::result::Error),
}

/// Re-plans inside one immediate transaction and writes it all, or nothing.
pub fn commit(
    conn: &mut Conn,
    table: &[Vec<String>],
    opts: &CommitOptions,
) -> Result<(Plan, Outcome), ImportError> {
    write(conn, |conn| {
        let plan = dry_run(conn, table)?;
        if !plan.errors.is_empty() {
            return Err(ImportError::Invalid(Box::new(plan)));
        }
        if opts.expected_fingerprint.is_some_and(|f| f != plan.fingerprint()) {
            return Err(ImportError::Changed);
        }
        let outcome = apply(conn, &plan, opts)?;
        if outcome.units_created + outcome.created + outcome.updated + outcome.deactivated > 0 {
            let detail = msg::audit_roster_imported(
                outcome.units_created,
                outcome.created,
                outcome.updated,
                outcome.deactivated,
            );
            audit::record(conn, opts.actor, "roster_imported", &detail, opts.ip)?;
        }
        Ok((plan, outcome))
    })
}

fn apply(conn: &mut Conn, plan: &Plan, opts: &CommitOptions) -> Result<Outcome, ImportError> {
    let mut out = Outcome::default();
    let password_hash = match (plan.creates.is_empty(), opts.password_hash) {
        (true, _) => "",
        (false, Some(hash)) => hash,
        (false, None) => return Err(ImportError::NeedPassword),
    };
    let mut ids: HashMap<UnitRef, i32> = HashMap::new();
    if plan.new_city {
        ids.insert(UnitRef::NewCity, OrgUnit::insert(conn, None, UnitKind::City, msg::DEFAULT_CITY_NAME)?);
        out.units_created += 1;
    }
    let city_id = match OrgUnit::root(conn)? {
        Some(city) => city.id,
        None => return Err(ImportError::Changed),
    };
    for (name, kind) in &plan.new_areas {
        ids.insert(UnitRef::NewArea(name.clone()), OrgUnit::insert(conn, Some(city_id), *kind, name)?);
        out.units_created += 1;
    }
    for (area, hall) in &plan.new_halls {
        let area_id = match resolve(&ids, &UnitRef::NewArea(area.clone())) {
            Some(id) => id,
            None => existing_area(conn, city_id, area)?.ok_or(ImportError::Changed)?,
        };
        let id = OrgUnit::insert(conn, Some(area_id), UnitKind::Hall, hall)?;
        ids.insert(UnitRef::NewHall { area: area.clone(), hall: hall.clone() }, id);
        out.units_created += 1;
    }
    let grants_of = |grants: &[(Role, UnitRef)]| -> Result<Vec<(Role, i32)>, ImportError> {
        grants.iter().map(|(r, u)| resolve(&ids, u).map(|id| (*r, id)).ok_or(ImportError::Changed)).collect()
    };
    for u in &plan.creates {
        let hall_id = u.hall.as_ref().and_then(|h| resolve(&ids, h));
        let id = User::insert(
            conn,
            &NewUser {
                username: &u.staff_no,
                staff_no: Some(&u.staff_no),
                name: &u.name,
                phone: u.phone.as_deref(),
                hall_id,
                password_hash,
                must_change_password: opts.must_change_password,
            },
        )?;
        User::replace_grants(conn, id, &grants_of(&u.grants)?)?;
        out.created += 1;
    }
    for up in &plan.updates {
        let keeps_admin = up.user.grants.iter().any(|(r, _)| *r == Role::Admin);
        if Some(up.id) == opts.actor && !keeps_admin {
            return Err(ImportError::SelfLockout);
        }
        let hall_id = up.user.hall.as_ref().and_then(|h| resolve(&ids, h));
        User::update_profile(conn, up.id, &up.user.name, up.user.phone.as_deref(), hall_id)?;
        if up.reactivate {
            User::set_active(conn, up.id, true)?;
        }
        User::replace_grants(conn, up.id, &grants_of(&up.user.grants)?)?;
        out.updated += 1;
    }
    if opts.deactivate_missing {
        // The admin running the import never deactivates themself.
        for m in plan.missing.iter().filter(|m| Some(m.id) != opts.actor) {
            User::set_active(conn, m.id, false)?;
            out.deactivated += 1;
        }
    }
    Ok(out)
}

fn resolve(ids: &HashMap<UnitRef, i32>, unit: &UnitRef) -> Option<i32> {
    match unit {
        UnitRef::Existing(id) => Some(*id),
        other => ids.get(other).copied(),
    }
}

fn existing_area(conn: &mut Conn, city_id: i32, name: &str) -> QueryResult<Option<i32>> {
    let nodes = OrgUnit::nodes(conn)?;
    Ok(nodes
        .iter()
        .find(|n| n.parent_id == Some(city_id) && n.kind.is_area() && n.name == name)
        .map(|n| n.id))
}
