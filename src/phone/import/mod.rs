//! Phone-test results from a spreadsheet: one row per call, one column per
//! item of the current rubric, a row may re-score an earlier row of the same
//! file (calibration). Same pipeline as the results import: dry run → confirm
//! → one transaction that plans again and checks the fingerprint.

pub mod routes;
pub mod rules;

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::model::{self, NewCall, Rubric};
use crate::accounts::User;
use crate::audit;
use crate::auth::Role;
use crate::db::{now, Conn};
use crate::domain::Month;
use crate::schema::{phone_calls, role_assignments, scenarios};
use crate::web::import;
use crate::web::msg;
pub use rules::Plan;
use rules::{Person, Snapshot};

/// Halls, staff, scenarios and the month's calls as they are now.
pub fn snapshot(conn: &mut Conn, month: Month) -> QueryResult<Snapshot> {
    let at = now();
    let (_, version) = Rubric::current(conn, at)?;
    let halls = crate::org::OrgUnit::active_halls(conn)?;
    let roles: Vec<(i32, String)> =
        role_assignments::table.select((role_assignments::user_id, role_assignments::role)).load(conn)?;
    let holds = |role: Role| -> HashSet<i32> {
        roles.iter().filter(|(_, r)| r == role.code()).map(|(id, _)| *id).collect()
    };
    let (clerks, trainers) = (holds(Role::Clerk), holds(Role::Trainer));
    let people = User::staff_refs(conn)?
        .into_iter()
        .map(|p| Person {
            id: p.id,
            staff_no: p.staff_no,
            name: p.name,
            hall_id: p.hall_id,
            active: p.active,
            clerk: clerks.contains(&p.id),
            trainer: trainers.contains(&p.id),
        })
        .collect();
    let scenarios = scenarios::table
        .filter(scenarios::active.eq(true))
        .order(scenarios::id)
        .select((scenarios::id, scenarios::title))
        .load(conn)?;
    let existing = phone_calls::table
        .filter(phone_calls::month.eq(month))
        .filter(phone_calls::second_of.is_null())
        .select((phone_calls::called_at, phone_calls::hall_id, phone_calls::tester_id))
        .load(conn)?;
    Ok(Snapshot {
        version_id: version.id,
        items: version.items(),
        halls,
        people,
        scenarios,
        existing,
        now: at,
    })
}

/// The dry run: nothing is written.
pub fn dry_run(conn: &mut Conn, month: Month, table: &[Vec<String>]) -> QueryResult<Plan> {
    Ok(rules::plan(month, table, &snapshot(conn, month)?))
}

/// Why a phone-test import did not go in.
pub type ImportError = import::ImportError<Plan>;

/// Plans again inside one transaction and stores every call, or nothing.
pub fn commit(
    conn: &mut Conn,
    month: Month,
    table: &[Vec<String>],
    fingerprint: Option<&str>,
    actor: Option<i32>,
    ip: &str,
) -> Result<Plan, ImportError> {
    import::commit(
        conn,
        fingerprint,
        |conn| dry_run(conn, month, table),
        |conn, plan| {
            let at = now();
            let mut ids: HashMap<usize, i32> = HashMap::new();
            // Rows re-score rows above them, so the originals are stored first.
            for row in &plan.rows {
                let call = NewCall {
                    called_at: row.called_at,
                    hall_id: row.hall_id,
                    clerk_id: row.clerk_id,
                    tester_id: row.tester_id,
                    scenario_id: row.scenario_id,
                    rubric_version_id: plan.version_id,
                    marks: row.marks.clone(),
                    rings: row.rings,
                    duration_seconds: row.duration_seconds,
                    notes: row.notes.clone(),
                    recording_ref: row.recording_ref.clone(),
                    second_of: row.second_of.and_then(|line| ids.get(&line).copied()),
                };
                match model::record(conn, &call, actor, at)? {
                    Ok(id) => ids.insert(row.line, id),
                    // Scored in the plan already: cannot happen, but never half-import.
                    Err(_) => return Err(ImportError::Changed),
                };
            }
            let detail = msg::audit_phone_import(month, plan.first, plan.second);
            audit::record(conn, actor, "phone_import", &detail, ip)?;
            Ok(plan)
        },
    )
}
